"""Path converters for the API's hand-written routes."""


class SignedIntConverter:
    """Digits with an optional minus sign.

    A negative id still reaches the API's view and gets its JSON 404 rather than the site's
    HTML one; free text never matches, so a man's code cannot travel into the request log
    through a path segment.
    """

    regex = "-?[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
