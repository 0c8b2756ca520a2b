import sys

from tanya.dashboard.cli import main

sys.exit(main())
