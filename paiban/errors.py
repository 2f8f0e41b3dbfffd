"""The one error type paiban raises for bad input.

Every problem a user can cause (a bad source line, a missing font, an uncovered
character) is reported as a :class:`PaibanError` naming the file, the line and what
to do. The CLI prints it and exits non-zero; no traceback reaches the user.
"""


class PaibanError(Exception):
    def __init__(self, message, path=None, line=None, fix=None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.fix = fix

    def location(self):
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self):
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text

    def as_dict(self):
        return {"path": str(self.path) if self.path else None, "line": self.line,
                "message": self.message, "fix": self.fix}
