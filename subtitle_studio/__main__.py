"""``python -m subtitle_studio`` is the same as the ``subtitle-studio`` command."""

import sys

from subtitle_studio.cli.main import main

sys.exit(main())
