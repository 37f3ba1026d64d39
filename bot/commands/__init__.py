"""Command-line verbs: the kernel's here, each feature's in its package; each has register(subparsers).

A verb sets args.run; bot/cli.py gives it args.services(), the services as the web process would
build them.
"""
