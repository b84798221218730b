import sys

from macros.cli.main import main

sys.exit(main())
