"""One exception type for every failure a user should see as a one-line message, not a traceback."""


class KgError(Exception):
    """A failure with a clear, one-line explanation and the exit code the CLI returns for it."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
