"""`python -m reminders`: the clock process."""
import sys

from reminders.clock import main

sys.exit(main())
