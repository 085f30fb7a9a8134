"""Messages with plural forms that format like a lazy gettext string: TOO_LONG % {"max": 100}.

A limit written into a sentence ("at most 50 notes", "100 characters") takes the noun's plural
form for that number in the visitor's language (Romanian "50 de notițe", Arabic its six forms),
so such a message is a `Plural`: the number under `max` picks the form, shown in the locale.
"""

from collections.abc import Callable, Mapping


class Plural:
    """A message that `%` fills and translates only then, in the locale of the request."""

    def __init__(self, say: Callable[[int], str], key: str = "max") -> None:
        self.say, self.key = say, key

    def __mod__(self, values: Mapping[str, int]) -> str:
        return self.say(values[self.key])
