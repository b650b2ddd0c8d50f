"""The desk: the staff's web application (sign-in, caseload, case pages, returns)."""
