"""Application errors: expected, user-facing failures raised by services.

The API exception handler turns them into `{"error": code, "detail": message}`; views catch them
and show the message. Anything else is a bug and surfaces as a 500 / an errored job.
"""


class ApplicationError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", status: int = 400, extra=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.extra = extra or {}

    def __str__(self):
        return self.message


class JobFailed(Exception):
    """An expected failure inside a job: the message is shown to the user as the job's error."""
