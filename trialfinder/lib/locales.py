"""The supported locales: one tuple, the default, the right-to-left ones, their own names."""

LOCALES: tuple[str, ...] = ("es", "en", "ca", "fr", "pt", "ro", "ar")
DEFAULT_LOCALE = "es"
# The country a search, a form or an API call starts from when the visitor has not said.
DEFAULT_COUNTRY = "ES"
RTL_LOCALES = frozenset({"ar"})
# Each language named in itself, for the switcher and the forms.
NATIVE_NAMES = {
    "es": "Español",
    "en": "English",
    "ca": "Català",
    "fr": "Français",
    "pt": "Português",
    "ro": "Română",
    "ar": "العربية",
}
