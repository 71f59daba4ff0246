"""One module per `rasad` subcommand that does more than a few lines of work."""
