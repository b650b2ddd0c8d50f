"""`python -m casework` is the `casework` command."""

import sys

from casework.cli import main

sys.exit(main())
