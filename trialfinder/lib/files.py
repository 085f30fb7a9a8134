"""Content files read once per change, and kept at their last good version when an edit breaks them.

A sponsor edits content on a running site. A typo in one file must not turn every page that
reads it into an error: the file is logged once (its name and what is wrong, never more) and its
last good version is served until it is fixed; `flask content check` names the problem too.
No Flask.
"""

import copy
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

T = TypeVar("T")
log = logging.getLogger(__name__)
TRIALS_FOLDER = "trials"  # CONTENT_DIR/trials/<NCT id>/: each trial's record and content files


def trial_folder(content_dir: str | Path, nct_id: str) -> Path:
    """Return the folder of one trial's content files (record, texts, questionnaire, sites)."""
    return Path(content_dir) / TRIALS_FOLDER / nct_id


# libyaml's parser when PyYAML was built with it (its wheels are): the same data, about 13 times
# faster than the pure-Python one on the shipped content (459 ms against 35 for 26 files).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The same text is parsed once per process, whichever file holds it (a copy of the content
# folder, a file touched but not changed): its value is kept, and each reader gets a copy of its
# own (copying a content file's value takes a tenth of parsing it).
TEXTS_KEPT = 256
parsed_texts: OrderedDict[bytes, Any] = OrderedDict()
parsed_lock = threading.Lock()


def read_yaml(path: Path) -> Any:
    """Parse a UTF-8 YAML file with the safe loader; raise yaml.YAMLError when it is not YAML."""
    data = path.read_bytes()
    key = hashlib.blake2b(data, digest_size=16).digest()
    with parsed_lock:
        kept = parsed_texts.get(key, parsed_lock)  # the lock: no value a file holds
    if kept is not parsed_lock:
        return copy.deepcopy(kept)
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
    value = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - the safe loader
    with parsed_lock:
        parsed_texts[key] = copy.deepcopy(value)
        while len(parsed_texts) > TEXTS_KEPT:
            parsed_texts.popitem(last=False)
    return value


def yaml_problem(path: Path, error: Exception) -> str:
    """Say in one line where a file stops being YAML: 'path: line N: not valid YAML: why'."""
    mark = getattr(error, "problem_mark", None)
    where = f"{path}: line {mark.line + 1}" if mark else str(path)
    return f"{where}: not valid YAML: {getattr(error, 'problem', None) or error}"


class ContentFiles(Generic[T]):
    """Parsed content files by path, parsed again when a file's modification time changes.

    `parse` raises one of `errors` for a broken file. Then the last good version is returned,
    or None when the file was never read well: the caller does what it does without the file.
    """

    def __init__(self, parse: Callable[[Path], T], errors: tuple[type[Exception], ...]) -> None:
        self.parse, self.errors = parse, errors
        self.read: dict[Path, tuple[float, T | None, Exception | None]] = {}
        self.good: dict[Path, T] = {}
        self.lock = threading.Lock()

    def get(self, path: Path) -> T | None:
        """Return the file's parsed content, None when there is no such file."""
        if not path.is_file():
            return None
        mtime = path.stat().st_mtime
        seen = self.read.get(path)
        if seen is None or seen[0] != mtime:
            with self.lock:  # one parse and one log line per change, however many requests
                seen = self.read.get(path)
                if seen is None or seen[0] != mtime:
                    seen = self.refresh(path, mtime)
        _mtime, value, error = seen
        return value if error is None else self.good.get(path)

    def refresh(self, path: Path, mtime: float) -> tuple[float, T | None, Exception | None]:
        seen: tuple[float, T | None, Exception | None]
        try:
            value = self.parse(path)
        except self.errors as error:
            kept = "its last good version is served" if path in self.good else "it is left out"
            log.error("%s; %s until it is fixed", error, kept)
            seen = (mtime, None, error)
        else:
            self.good[path] = value
            seen = (mtime, value, None)
        self.read[path] = seen
        return seen
