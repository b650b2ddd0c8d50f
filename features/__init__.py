"""The policy as Gherkin, bound to the public API by pytest-bdd (a package, so the spec
modules' names cannot clash with those under tests/)."""
