"""`python -m bot` runs the `rasad` command."""

import sys

from bot.cli import main

sys.exit(main())
