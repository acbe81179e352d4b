"""One module per ``hlsp`` subcommand; the registry is ``hlsp.cli.COMMANDS``."""
