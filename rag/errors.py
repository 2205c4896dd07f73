"""Errors whose messages are written for the person using the product.

Every failure a user can cause or fix (a missing notes folder, an unreadable file, a missing model
package, a broken index) is one of these. The CLI prints `str(error)` on one line and exits 2; the
chat shows it in place of an answer. Anything else is a bug and keeps its traceback.
"""


class RagError(Exception):
    """Base class: `str(error)` is a complete sentence a user can act on."""


class NotesError(RagError):
    """The notes folder is missing, empty, or holds a file that cannot be read."""


class IndexStoreError(RagError):
    """The saved index is missing, corrupted or was built with other settings."""


class ModelError(RagError):
    """A model could not be found or loaded."""


class QuestionError(RagError):
    """The question cannot be answered as asked (empty, too long)."""


def missing_package(package: str, purpose: str, no_deps: bool = False) -> ModelError:
    flags = "--no-deps " if no_deps else ""
    return ModelError(
        f"The {purpose} needs the Python package '{package}', which is not installed. "
        f"Install it with: pip install {flags}{package}  (or run `make setup`)."
    )
