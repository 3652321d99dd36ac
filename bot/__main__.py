"""`python -m bot` is the `jointcheck` command."""

import sys

from bot.cli import main

sys.exit(main())
