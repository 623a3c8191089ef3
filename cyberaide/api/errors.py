class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}``: ``code`` is stable, ``message`` French."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
