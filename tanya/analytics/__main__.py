import sys

from tanya.analytics.cli import main

sys.exit(main())
