"""``python -m conformance`` is the CLI."""

import sys

from conformance.cli import main

sys.exit(main())
