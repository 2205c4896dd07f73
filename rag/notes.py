"""Read a folder of notes and build each file's heading tree.

`read_notes(folder)` finds every .md/.markdown/.mdx/.txt file below the folder and returns a `NotesFolder`:
the notes that could be read, one `Section` per heading (plus a headingless preamble if the file
starts with text), and the files it skipped, each with a reason a person understands (binary, cannot
be decoded, no permission, too large, a broken symlink, gone between listing and reading). One bad
file never costs the rest; only a folder with no usable file at all is an error (NotesError).
`load_notes(folder)` is the same, returning (notes, sections) for callers that need no report.

Decoding: UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, then the legacy encoding charset-normalizer
detects (cp1252, latin-1, ...), in which case the note carries a remark ("read as cp1252"). Line
endings become "\n"; all line numbers count lines of that text, so they are the lines of the file.

Notes as Obsidian, Logseq or a plain editor write them:
- YAML front matter (a first line `---`, closed by `---` or `...`) is parsed with yaml.safe_load, and
  Hugo's TOML front matter (between `+++` lines) with tomllib, for
  `title`, `tags` and `aliases`; its lines belong to no section, so it is neither shown nor embedded,
  and every line number still points at the file's own line. Front matter that is not a YAML mapping
  is kept as text and the note carries a remark. Logseq's leading `key:: value` properties are read
  the same way (and stay in the text).
- A front-matter `title` heads a file that has no level-1 `#` heading: it becomes the top of every
  heading path of the file (its line is the `title:` line), unless the file's first line of text is a
  heading saying the same. Without a title, text above the file's first heading (all of a file with
  no heading: a Roam page, a journal day) is under the file's name (`file_title`).
- `#tags` in the body (not in headings, code, `#123` numbers, URL fragments or `&#38;` entities),
  front-matter tags and HackMD's tags line (`###### tags: \`a\` \`b\``, no heading) are the file's
  tags: lower-cased, without '#', on every section of the file. A table-of-contents marker on a line
  of its own (`[TOC]`, `[[_TOC_]]`) is no text.
- `[[note]]`, `[[note|alias]]` and `![[embed]]` stay as written in `Section.text` (the text shown and
  quoted in citations must be found verbatim at its lines); `readable()` turns them into their words
  ("note", "alias", "embed"), and chunking.py embeds that readable form.

Headings inside fenced code blocks (``` or ~~~, closed by a fence of the same character at least as
long) are text, not headings; the body of a MyST directive of prose (```{note}) is text, not code.
A setext heading, one line of text underlined with === (level 1) or --- (level 2), is a heading as
CommonMark renders it, when that line stands alone (a blank line, the file's start or a heading above
it) and is no list item, quote or table row; under a paragraph of several lines, or with a blank line
above it, the underline stays text (a rule). It does not chunk or embed (see chunking.py).
"""
from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from rag.config import Config
from rag.errors import NotesError

# A closing run of #s counts only after a space, so "## Learning C#" keeps its '#'. A list item may be a
# heading (CommonMark renders "- ## Setup" as one): Logseq writes every heading so, as a block ("- ## Setup",
# "\t- ### Contacts" nested under another), and Fastify's reference has "- ###### set-cookie".
HEADING = re.compile(r"^(?:[ \t]*[-*+][ \t]+)?(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
# An attribute list after a heading's title (Python-Markdown's attr_list, as MkDocs writes it; kramdown;
# Pandoc): "### `platform` {: #platform cmd-line env-var }", "## Name ## {: #name }", "# Intro {#intro
# .unnumbered}", "## Registries { #registry }" (Python-Markdown's own docs). It sets the page's anchor
# and is never shown; the closing hashes before it go too. Braces that open with neither ":" nor
# "#"/"." ("Using {placeholders}") are the title's words. An anchor may hold any character but a space
# or a brace: Google Docs writes "{#who’s-who}".
HEADING_ATTRIBUTES = re.compile(
    r"(?:[ \t]+#+)?[ \t]*\{(?::[ \t]*|[ \t]*(?=[#.]))(?:[#.]?[^\s{}=\"']+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s}]+))?[ \t]*)*\}[ \t]*$"
)
# A setext heading's underline: "=====" (level 1) or "-----" (level 2), indented at most three spaces.
# Two marks at least: a lone "-" is an empty list item.
UNDERLINE = re.compile(r"^ {0,3}(={2,}|-{2,})[ \t]*$")
# What a line underlined cannot be and stay a heading: a list item, a quote, a table row, an ATX
# heading, a line indented as code, a tag of HTML.
NOT_SETEXT_TEXT = re.compile(r"^(?: {4,}|\t|\s*(?:[-*+>#|<]|\d+[.)](?:\s|$)))|\|")
# An opening fence: 3+ backticks or tildes (a backtick fence's info string has no backtick). Any indentation:
# a fence inside a list item is indented, and a `# comment` in it must not become a heading. A list item
# may open with it ("- ```bash": Logseq writes every code block so, as a block of its own).
FENCE_OPEN = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])[ \t]+)?(`{3,}(?=[^`]*$)|~{3,})")
# Jekyll's code block in Liquid ("{% highlight go %}" ... "{% endhighlight %}"), older than the fences
LIQUID_FENCE_OPEN = re.compile(r"^\s*\{%-?\s*highlight\b[^%]*-?%\}\s*$")
LIQUID_FENCE_CLOSE = re.compile(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$")
LIQUID_FENCE = re.compile(LIQUID_FENCE_OPEN.pattern + "|" + LIQUID_FENCE_CLOSE.pattern)
# A list item's marker: "- ", "* ", "+ ", "1. ", "2) ", indented or not.
LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")
# MyST (Sphinx, Jupyter Book) directives whose body is prose, as an info string: ```{note}, ```{admonition}
# Title, ```{versionchanged} 21.3, and ```{eval-rst}, whose body is reStructuredText the page shows as
# text (a setting's ".. confval::" with its ":Default:" field). Any other directive (code-block,
# literalinclude, toctree, a project's own) stays a block of code, as a reader of the raw file sees it.
PROSE_DIRECTIVE = re.compile(
    r"\{(?:note|warning|tip|important|caution|attention|danger|error|hint|seealso|admonition|versionadded|versionchanged|"
    r"deprecated|versionremoved|tab|tab-item|dropdown|card|margin|sidebar|topic|epigraph|pull-quote|highlights|aside|eval-rst)\}(?:\s|$)",
    re.I,
)
DIRECTIVE_OPTION = re.compile(r"^\s*:[\w-]+:(?:\s|$)")  # ":class: tip" right below a directive's opening fence
# Underscores inside a word are not emphasis: "config_file_path" stays as written.
EMPHASIS = re.compile(r"(\*\*|\*|`)(.+?)\1|(?<![A-Za-z0-9])(__|_)(.+?)\3(?![A-Za-z0-9])")
# [[target]], [[target|alias]], [[target#heading]], ![[embed]]; the target holds no brackets or newline.
WIKILINK = re.compile(r"!?\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]")
# A tag starts a line or follows whitespace, as in Obsidian (so not "page#anchor", "play?#code/...", "&#38;",
# "(#anchor)"), and holds letters, digits, _, - and / (nested tags); one that is all digits is an issue number.
TAG = re.compile(r"(?<!\S)#([\w/-]+)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# A reference-style link's target ("[Release Plan]: https://github.com/nodejs/release#release-plan",
# "[`EventTarget` error handling]: #eventtarget-error-handling"): markdown shows none of it, so its
# "#anchor" is no tag. A footnote ("[^1]: Toast the cumin seeds first.") is text markdown shows, at
# the page's foot.
LINK_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S+")
LOGSEQ_PROPERTY = re.compile(r"^([A-Za-z][\w-]*):: ?(.*)$")
# HackMD's and HedgeDoc's tags line, written as a heading ("###### tags: `suppliers` `prices`"): the
# note's tags, not a section (a heading with nothing under it would answer "what are our supplier
# prices?" with "nothing is written there yet").
TAGS_HEADING = re.compile(r"^ {0,3}#{1,6}\s+tags\s*:\s*(.*?)(?:\s+#+)?\s*$", re.I)
# A marker an editor replaces with a table of contents ("[TOC]" in HackMD, GitLab and Python-Markdown,
# "[[_TOC_]]" in GitLab and Azure DevOps wikis): no sentence of the note, and never an answer.
TOC_MARKER = re.compile(r"^ {0,3}(?:\[TOC\]|\[\[_?TOC_?\]\])\s*$", re.I)
FRONT_MATTER_END = ("---", "...")
# The lines that may close front matter, by the line that opens it: YAML's "---", Hugo's TOML "+++".
FRONT_MATTER_CLOSES = {"---": FRONT_MATTER_END, "+++": ("+++",)}

SUFFIXES = Config.note_suffixes
DEFAULT_MAX_NOTE_BYTES = Config.max_note_bytes


@dataclass(frozen=True)
class Section:
    file: str  # path relative to the notes folder, with forward slashes
    path: tuple[str, ...]  # heading path, outermost first; the file's name for text above any heading (named_by_file)
    level: int  # heading level, 0 for a preamble (or a front-matter title heading a file)
    line_start: int  # 1-based line of the heading (or first line of a preamble)
    line_end: int  # last line that belongs to the section, inclusive
    text: str  # the text under the heading, stripped; "" when empty
    body_start: int  # 1-based line where `text` starts
    tags: tuple[str, ...] = ()  # the file's tags, lower-cased, without '#'
    aliases: tuple[str, ...] = ()  # the file's other names (front-matter `aliases`)
    about: str = ""  # what the file says it is about (front-matter `description`, ABOUT_KEYS)
    # the path is the file's name (file_title), given to text above any heading of a file with no
    # title: it names the passage where it is cited, and is no heading the notes wrote, which
    # retrieval would read twice beside the file's name and rank above the sections below it
    named_by_file: bool = False

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class NoteFile:
    name: str
    text: str
    sha256: str
    remarks: tuple[str, ...] = ()  # what a person should know about how it was read ("read as cp1252")


@dataclass(frozen=True)
class SkippedFile:
    name: str  # path relative to the notes folder
    reason: str  # for people: "looks binary (it holds NUL bytes), not text"


@dataclass
class NotesFolder:
    notes: list[NoteFile]
    sections: list[Section]
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def remarks(self) -> list[tuple[str, str]]:
        """(file, remark) for notes that were read, but not quite as written (legacy encoding, bad front matter)."""
        return [(n.name, r) for n in self.notes for r in n.remarks]


@dataclass(frozen=True)
class FrontMatter:
    end: int  # number of lines it takes (0: none)
    title: str | None = None
    title_line: int = 0  # 1-based line of `title:`
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    remark: str | None = None
    about: str = ""


class Unusable(Exception):
    """A file that cannot be used as a note; str() is the reason."""


# Markup a reader never sees in a heading: an empty anchor ('## <a name="install"></a> Install', how
# READMEs give a section a link target) and a link's target ("### [MySQL](https://...)" reads "MySQL";
# an image stays as written, "![pixel](...)", as any other markup in a title does).
HEADING_ANCHOR = re.compile(r"<a\s+(?:name|id)\s*=\s*(?:\"[^\"]*\"|'[^']*')\s*/?>\s*(?:</a\s*>)?", re.I)
HEADING_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\]\((?:[^()\s]|\([^()\s]*\))+(?:\s+\"[^\"]*\")?\)")
# A heading written in HTML on a line of its own ('<h2 id="faq">FAQ</h2>', '<h1 align="center">Fastify</h1>'):
# its title is the text between the tags.
HTML_HEADING = re.compile(r"^ {0,3}<h([1-6])(?:\s[^<>]*)?>(.*?)</h\1\s*>\s*$", re.I)


# In a heading's words (outside code): a character escaped ("\\_\\_init\\_\\_"), inline HTML that only
# formats its text ("<kbd>Ctrl</kbd>", "<code>foo()</code>", "<br>") and entities ("Q&amp;A") read as
# shown. Any other tag stays as written ("Tomatoes <img src=x ...>": no text of its own to show).
HEADING_CODE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
FORMAT_TAG = re.compile(r"</?(?:code|kbd|span|em|strong|b|i|u|sup|sub|mark|small|del|s|ins|abbr|samp|var|q|cite|dfn|tt|big|font)(?:\s[^<>]*)?>|<br\s*/?>", re.I)


def format_tag_shown(match: re.Match) -> str:
    """What a tag that only formats text (FORMAT_TAG) shows: a line break parts words, any other tag
    joins what it wraps to its neighbours ("<kbd>8</kbd><kbd>0</kbd>" is "80")."""
    return " " if match.group(0).lower().startswith("<br") else ""

STRUCK = re.compile(r"~~(.+?)~~")


def clean_heading(raw: str) -> str:
    """'**Brief History and Evolution**' -> 'Brief History and Evolution'; code spans keep their text
    as written ("`__init__`" stays "__init__", "`manylinux-*-image`" keeps its star)."""
    bare = HEADING_LINK.sub(lambda m: m.group(1), HEADING_ANCHOR.sub("", raw.strip()))
    text = readable(bare if bare.strip() else raw.strip())
    pieces, at = [], 0
    for code in HEADING_CODE.finditer(text):
        pieces += [_heading_words(text[at : code.start()]), code.group(2).strip() or code.group(2)]
        at = code.end()
    pieces.append(_heading_words(text[at:]))
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _heading_words(text: str) -> str:
    escaped = []

    def keep(match: re.Match) -> str:  # an escaped character is a character, never emphasis
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = ESCAPED.sub(keep, text)
    previous = None
    while previous != text:  # nested emphasis like ***x*** needs more than one pass
        previous = text
        text = STRUCK.sub(r"\1", EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text))
    text = html.unescape(FORMAT_TAG.sub(format_tag_shown, text))
    return re.sub("\x00(\\d+)\x00", lambda m: escaped[int(m.group(1))], text)


def _link_words(match: re.Match) -> str:
    if match.group(2) is not None and match.group(2).strip():
        return match.group(2).strip()
    target = match.group(1).strip()
    page, _, anchor = target.partition("#")
    anchor = "" if anchor.startswith("^") else anchor.strip()  # ^block ids are not words
    page = page.strip()
    return f"{page} > {anchor}" if page and anchor else page or anchor


def readable(text: str) -> str:
    """Wikilinks and embeds as the words they stand for: '[[a|b]]' -> 'b', '![[x.png]]' -> 'x.png'."""
    return WIKILINK.sub(_link_words, text) if "[[" in text else text


# --- listing and reading files


def find_note_files(folder: Path, suffixes=SUFFIXES) -> list[Path]:
    """Every note file below `folder` (hidden folders skipped), broken symlinks included so they can be reported."""
    folder = Path(folder)
    if not folder.exists():
        raise NotesError(f"The notes folder {folder} does not exist. Point --notes at a folder of .md or .txt files.")
    if not folder.is_dir():
        raise NotesError(f"The notes path {folder} is a file, not a folder. Point --notes at the folder that holds it.")
    suffixes = tuple(s.lower() for s in suffixes)
    found = []
    # os.walk lists each folder once (no stat per path beyond what it needs); symlinked folders are not followed,
    # so a link cycle cannot loop and a note is not indexed twice.
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and name.lower().endswith(suffixes):
                path = Path(root, name)
                if path.is_file() or (path.is_symlink() and not path.exists()):  # not a FIFO or socket: reading one would hang
                    found.append(path)
    files = sorted(found)
    if not files:
        raise NotesError(f"The notes folder {folder} has no {', '.join(suffixes)} files. Add your notes there, or point --notes elsewhere.")
    return files


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or Unusable with the reason."""
    if path.is_symlink() and not path.exists():
        raise Unusable(f"is a broken symlink (it points to {os.readlink(path)}, which does not exist)")
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise Unusable(
                    f"is larger than the limit for one note ({_size(size)} > {_size(max_bytes)}); "
                    "raise max_note_bytes (RAG_MAX_NOTE_BYTES) to include it"
                )
            return handle.read()
    except FileNotFoundError:
        raise Unusable("was removed or renamed after the folder was listed") from None
    except PermissionError:
        raise Unusable("cannot be read: permission denied (check the file's permissions)") from None
    except IsADirectoryError:
        raise Unusable("is a folder whose name ends like a note") from None
    except OSError as error:
        raise Unusable(f"cannot be read: {error.strerror or error}") from None


def decode(raw: bytes) -> tuple[str, str | None]:
    """(text, remark): UTF-8 (with or without BOM), UTF-16 with BOM, else the detected legacy encoding (remark says which)."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), None
        except UnicodeDecodeError:
            pass  # a BOM before text in another encoding: let detection decide
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            raise Unusable("starts like UTF-16 text but cannot be decoded as UTF-16; save it as UTF-8") from None
    if b"\x00" in raw[:8192]:
        raise Unusable("looks binary (it holds NUL bytes), not text; move it out of the notes folder or rename it")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        utf8_error = error
    from charset_normalizer import from_bytes  # imported here: only legacy files pay for it

    best = from_bytes(raw).best()
    western = _western(raw)
    if western is not None and (best is None or str(best) == western or best.coherence < LEGACY_SURE):
        text, encoding = western, "Latin-1 (cp1252)"  # the same text either way, or a short note detection cannot place
    elif best is not None:
        text, encoding = str(best), best.encoding.replace("_", "-")
    else:
        raise Unusable(
            f"is not UTF-8 (byte {utf8_error.start}) and not text in any encoding that could be recognised (binary?); "
            "save it as UTF-8 or move it out of the notes folder"
        )
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    if controls > max(2, len(text) // 100):
        raise Unusable("looks binary (control characters throughout), not text; move it out of the notes folder or rename it")
    return text, f"read as {encoding}, not UTF-8; save it as UTF-8 to be sure of every character"


# charset-normalizer's coherence (0-1, how much the text reads like a language it knows) above which its
# guess wins over cp1252: 0.34-0.76 for 100+ character French, German, Czech, Russian paragraphs; 0.0 for
# one-line notes, where it calls "Le café était fermé" mac-latin2 ("Le cafť ťtait fermť").
LEGACY_SURE = 0.3
WESTERN_PUNCTUATION = set("€‚„…†‡‰‹›‘’“”•–—˜™°§©®«»·¡¿×÷¦¨¬±²³´µ¶¸¹º¼½¾")


def _western(raw: bytes) -> str | None:
    """The text read as cp1252 (Windows' Latin-1), if it reads like Western European text: accented letters
    within mostly plain words, or common punctuation. None otherwise (Cyrillic read as cp1252 is all accents)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) > 127]
    if not all(ch.isalpha() or ch in WESTERN_PUNCTUATION for ch in high):
        return None
    letters = sum(1 for ch in text if ch.isalpha())
    accented = sum(1 for ch in high if ch.isalpha())
    return text if accented <= 0.3 * letters else None


def read_note_file(path: Path, folder: Path, max_bytes: int = DEFAULT_MAX_NOTE_BYTES) -> NoteFile:
    """One note; raises Unusable (with the reason) when it cannot be used."""
    name = Path(path).relative_to(folder).as_posix()
    raw = read_bytes(Path(path), max_bytes)
    text, remark = decode(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return NoteFile(name=name, text=text, sha256=hashlib.sha256(raw).hexdigest(), remarks=(remark,) if remark else ())


# --- front matter, tags


def _strings(value, split_spaces: bool = False) -> tuple[str, ...]:
    """A YAML value meant as a list of names: ['a', 'b'], 'a, b' (and 'a b' for tags) -> ('a', 'b')."""
    if value is None or isinstance(value, dict):
        return ()
    if isinstance(value, (list, tuple, set)):
        items = [str(v) for v in value if v is not None and not isinstance(v, (dict, list))]
    else:
        text = str(value)
        items = text.split(",") if "," in text or not split_spaces else text.split()
    return tuple(s for s in (i.strip() for i in items) if s)


def _tag_names(value) -> tuple[str, ...]:
    names = (item.lstrip("#").strip().lower() for item in _strings(value, split_spaces=True))
    return tuple(n for n in names if n and not n.isdigit())


def parse_front_matter(lines: list[str]) -> FrontMatter:
    """The YAML block at the top of a file (Hugo's TOML block between `+++` lines, or Logseq's leading
    `key:: value` lines), if any."""
    opening = lines[0].rstrip() if lines else ""
    if opening in FRONT_MATTER_CLOSES:
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in FRONT_MATTER_CLOSES[opening]), None)
        if end is None:
            return FrontMatter(0)  # a lone rule at the top, not front matter
        block = "\n".join(lines[1:end])
        try:
            if opening == "+++":
                data = tomllib.loads(block)
            else:
                data = yaml.safe_load(block) if block.strip() else {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            return FrontMatter(0, remark=f"its front matter is not valid YAML{where}; kept as text")
        except tomllib.TOMLDecodeError as error:
            return FrontMatter(0, remark=f"its front matter is not valid TOML ({error}); kept as text")
        except (RecursionError, ValueError, OverflowError) as error:  # pathological YAML or TOML
            return FrontMatter(0, remark=f"its front matter could not be read ({type(error).__name__}); kept as text")
        if isinstance(data, str):
            return FrontMatter(0)  # prose between two rules, not front matter
        if not isinstance(data, dict):
            return FrontMatter(0, remark="its front matter is not a list of `key: value` lines; kept as text")
        return _front_matter(data, lines, end + 1, first=1, last=end)
    properties = {}
    for line in lines:
        match = LOGSEQ_PROPERTY.match(line)
        if not match:
            break
        properties[match.group(1).lower()] = match.group(2)
    if properties:
        return _front_matter(properties, lines, 0, first=0, last=len(properties))  # stays text: Logseq shows it
    return FrontMatter(0)


# The front-matter keys in which a note says what it is about, in a line: Jekyll's, Hugo's, MkDocs'
# and npm's docs' `description`, Dendron's `desc`, `summary`, `subtitle`. The line is shown on no page
# of the note's own, so it is nobody's text; but it names what every section of the note is about, as
# its title does ("desc: 'Portugal, 16-30 May 2026 - ...'" over a Bookings section that never says
# Portugal), and is read with each section as its heading path is (rag.decide.place_of, the word index).
ABOUT_KEYS = ("description", "desc", "summary", "subtitle")


def _front_matter(data: dict, lines: list[str], end: int, first: int, last: int) -> FrontMatter:
    data = {str(k).lower(): v for k, v in data.items()}
    title = data.get("title")
    title = clean_heading(str(title)) if title is not None and not isinstance(title, (dict, list)) else None
    title_line = 0
    if title:
        title_line = next((i + 1 for i in range(first, last) if re.match(r"\s*title\s*(?:::?|=)", lines[i], re.I)), first + 1)
    tags = _tag_names(data.get("tags", data.get("tag")))
    aliases = _strings(data.get("aliases", data.get("alias")))
    about = next((" ".join(str(v).split()) for k in ABOUT_KEYS if isinstance(v := data.get(k), (str, int, float)) and str(v).strip()), "")
    return FrontMatter(end, title or None, title_line, tags, aliases, about=about)


def inline_tags(lines: list[str], skip: set[int]) -> list[str]:
    """#tags of the lines not in `skip` (fenced code, headings), outside inline code; lower-cased, without '#'."""
    found = []
    for i, line in enumerate(lines):
        if i in skip or "#" not in line or LINK_DEFINITION.match(line):
            continue
        if "`" in line:
            line = INLINE_CODE.sub(" ", line)
        for tag in TAG.findall(line):
            tag = tag.strip("/-").lower()
            if tag and not tag.replace("/", "").replace("-", "").replace("_", "").isdigit():
                found.append(tag)
    return found


def tags_listed(line: str, level: int) -> list[str] | None:
    """The tags a heading line lists when it is HackMD's tags line: level 6 ("###### tags: ...", as
    HackMD writes it), or any level when every tag is in backticks ("## tags: `a` `b`"); a heading
    "## Tags: how we use them" is a section's title. Lower-cased, without '#'; None for no tags line."""
    m = TAGS_HEADING.match(line)
    if not m:
        return None
    quoted = [code.group(0).strip("`") for code in INLINE_CODE.finditer(m.group(1))]
    if quoted and not INLINE_CODE.sub("", m.group(1)).strip(" ,"):
        listed = quoted
    elif level == 6:
        listed = quoted or re.split(r"[\s,]+", m.group(1))
    else:
        return None
    return [t.strip("# ").lower() for t in listed if t.strip("# ")]


# --- sections


def code_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line indexes, inclusive, of each fenced code block, fences included. A block is closed
    by a fence of the same character at least as long as the opening one, with nothing after it; an
    unclosed block runs to the end (as CommonMark says). A MyST directive of prose (```{note},
    ```{versionchanged} 21.3, ````{tab}) is no code block: its lines are text, its fences and option
    lines are markup (fenced), and a code block may stand inside it."""
    return fenced(lines)[0]


def fenced(lines: list[str]) -> tuple[list[tuple[int, int]], set[int], list[str]]:
    """(code blocks as code_blocks gives them; the lines that only mark up a prose directive, its fences
    and its option lines (":class: tip"); the fence lines still open after the last line, outermost
    first)."""
    blocks, markup = [], set()
    fence, start = None, 0
    directives: list[str] = []  # the fences of the prose directives open around this line
    opened_at: list[int] = []  # and the lines they open at
    for i, line in enumerate(lines):
        stripped = line.strip()
        if fence is None:
            if directives and _closes(stripped, directives[-1]):
                directives.pop()
                opened_at.pop()
                markup.add(i)
            elif "{%" in line and LIQUID_FENCE_OPEN.match(line):
                fence, start = "{% endhighlight %}", i
            elif ("`" in line or "~" in line) and (opening := FENCE_OPEN.match(line)):
                if PROSE_DIRECTIVE.match(line[opening.end(1) :].rstrip()):
                    directives.append(opening.group(1))
                    opened_at.append(i)
                    markup.add(i)
                else:
                    fence, start = opening.group(1), i
            elif directives and DIRECTIVE_OPTION.match(line) and (i - 1 in markup):
                markup.add(i)
        elif fence == "{% endhighlight %}":
            if LIQUID_FENCE_CLOSE.match(line):
                blocks.append((start, i))
                fence = None
        elif (i - 1 == start or i - 1 in markup) and DIRECTIVE_OPTION.match(line) and lines[start][FENCE_OPEN.match(lines[start]).end(1):].lstrip().startswith("{"):
            markup.add(i)  # a MyST directive's options (":caption: pyproject.toml") above its code: markup, not code
        elif _closes(stripped, fence):
            blocks.append((start, i))
            fence = None
    still_open = [lines[i].strip() for i in sorted(opened_at)] + ([lines[start].strip()] if fence is not None else [])
    if fence is not None:
        blocks.append((start, len(lines) - 1))
    return blocks, markup, still_open


def _closes(stripped: str, fence: str) -> bool:
    return len(stripped) >= len(fence) and stripped[0] == fence[0] and stripped == fence[0] * len(stripped)


def code_lines(lines: list[str], opened: str = "") -> tuple[set[int], set[int]]:
    """(every line inside a fenced code block, its fences included; every line of markup: a code
    block's fences and a prose directive's fences and options) as indexes of `lines`, by fenced()'s
    rules. `opened`: the fences open where a piece of text cut from a longer one starts (fences_open_at),
    so the second half of a long listing is read as the code it is."""
    head = opened.split("\n") if opened else []
    every = head + lines
    blocks, markup, _ = fenced(every)
    inside, marks = set(), {i - len(head) for i in markup if i >= len(head)}
    for first, last in blocks:
        inside.update(range(max(first - len(head), 0), last - len(head) + 1))
        marks.update(i - len(head) for i in (first, last) if i >= len(head) and (FENCE_OPEN.match(every[i]) or LIQUID_FENCE.match(every[i])))
    return inside, marks


def fences_open_at(lines: list[str], at: int) -> str:
    """The fence lines open where line `at` starts, outermost first and one per line ("```json", or
    "````{tab} Linux" and "```bash" inside it), or "" when it stands outside any fence."""
    return "\n".join(fenced(lines[:at])[2])


def parse_sections(note: NoteFile, front: FrontMatter | None = None) -> list[Section]:
    """The file's sections in document order, each with the path of headings above it."""
    lines = note.text.split("\n")
    front = front or parse_front_matter(lines)
    if front.end:
        lines = [""] * front.end + lines[front.end :]  # front matter is no one's text; line numbers stay the file's
    code = {i for first, last in code_blocks(lines) for i in range(first, last + 1)}
    headings = heading_lines(lines, code)
    tag_rows = {i: listed for i, level, _, _ in headings if (listed := tags_listed(lines[i], level)) is not None}
    headings = [h for h in headings if h[0] not in tag_rows]
    # a tags line is no one's text, as front matter is not; nor is a table-of-contents marker
    lines = ["" if i in tag_rows or i not in code and TOC_MARKER.match(line) else line for i, line in enumerate(lines)]
    tags_line = [t for listed in tag_rows.values() for t in listed]
    code_or_heading = code | {k for i, _, _, body_from in headings for k in range(i, body_from)}
    tags = tuple(dict.fromkeys(front.tags + tuple(tags_line) + tuple(inline_tags(lines, code_or_heading))))
    first_heading = headings[0][0] if headings else len(lines)
    opens = bool(headings) and not any(line.strip() for line in lines[:first_heading])  # the first heading opens the file
    if opens and (block := metadata_under_title(lines, headings[0][3])):  # its tags read above, its lines no one's text
        lines = lines[: block[0]] + [""] * (block[1] + 1 - block[0]) + lines[block[1] + 1 :]
    top: tuple[str, ...] = ()
    # A title the file's first line repeats as a heading ("title: Configuring a CI service" over "##
    # Configuring a CI service") heads the file once: that heading is the title.
    repeated = opens and headings[0][2].casefold() == (front.title or "").casefold()
    if front.title and not any(level == 1 for _, level, _, _ in headings) and not repeated:
        top = (front.title,)

    def make(path, level, start, end, body_from):
        return _section(note.name, path, level, lines, start, end, body_from, tags, front.aliases, front.about)

    sections = []
    # A title from YAML front matter starts at its `title:` line; Logseq's properties are text, so from the first line.
    title_start = front.title_line - 1 if front.end else 0
    if any(line.strip() for line in lines[:first_heading]):
        # text above any heading of a file with no title is under the file's name, as the apps that
        # write such notes title them (a Roam page, a journal day "2025-03-22", a card): a passage
        # is cited by a name, and a question about the page may name it
        preamble = make(top or (file_title(note.name),), 0, title_start if top else front.end, first_heading, body_from=front.end)
        sections.append(preamble if top else replace(preamble, named_by_file=True))
    elif top and not headings:
        sections.append(make(top, 0, title_start, len(lines), body_from=front.end))  # a titled file with no text yet

    stack: list[tuple[int, str]] = []  # (level, title) of the headings above the current one
    titled = opens and titles_file(note.name, headings)
    for n, (i, level, title, body_from) in enumerate(headings):
        while stack and stack[-1][0] >= level:  # a heading of the same or higher level closes siblings
            stack.pop()
        # the file's title heads every heading below it, those of its own level too (level 0 on the stack)
        stack.append((0 if titled and n == 0 else level, title))
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        sections.append(make(top + tuple(t for _, t in stack), level, i, end, body_from=body_from))
    return sections


# A line of a note's metadata: "Created at: 2019-06-14T17:30:08+01:00", "Tagged: #van #mot"
METADATA_LINE = re.compile(r"^[A-Z][\w' -]{0,30}:(?:\s|$)")


def metadata_under_title(lines: list[str], at: int) -> tuple[int, int] | None:
    """(first, last) line of the metadata an exporter writes between two rules right under the title
    that opens the file, its text starting at line `at` (yarle, Evernote's exporter: "# Home
    insurance", "---", "Created at: ...", "Tagged: #house", "---"), as front matter is written above
    it; None when there is none."""
    while at < len(lines) and not lines[at].strip():
        at += 1
    if at >= len(lines) or lines[at].strip() != "---":
        return None
    for end in range(at + 2, min(at + 12, len(lines))):
        if lines[end].strip() == "---":
            inside = [line for line in lines[at + 1 : end] if line.strip()]
            return (at, end) if inside and all(METADATA_LINE.match(line) for line in inside) else None
    return None


# The id Notion's export writes after a page's name: "Health 5aed136efea448b6a3afc8ff3ac5caf6.md"
NOTION_ID = re.compile(r"\s+[0-9a-f]{32}$")


def titles_file(name: str, headings: list) -> bool:
    """Whether the file's first heading, which opens it, is its title: a level-1 heading that says the
    file's name, above other level-1 headings. Notion's export writes a page's title and its "heading
    1" blocks alike ("# Health", then "# Dentist", "# GP"): each of those is a part of the page, and
    "GP" alone says less than "Health > GP" (a doctor)."""
    if len(headings) < 2 or headings[0][1] != 1 or not any(level == 1 for _, level, _, _ in headings[1:]):
        return False
    return re.findall(r"\w+", file_title(name).casefold()) == re.findall(r"\w+", headings[0][2].casefold())


def file_title(name: str) -> str:
    """The name a file gives its note: its file name without the extension or Notion's page id
    ("Trips/Lisbon 2025 3f2a...c1.md" -> "Lisbon 2025")."""
    return NOTION_ID.sub("", name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip() or name


def heading_lines(lines: list[str], code: set[int]) -> list[tuple[int, int, str, int]]:
    """(line index, level, title, index of the first line below it) of each heading of `lines` outside
    the `code` lines: "## Title" lines and setext headings ("Title" above "====="; the title's line is
    the heading's). A heading whose title is empty once cleaned ("## **") is none."""
    found = []
    taken = -1  # the last line a heading took: an underline is no title of the next one
    for i, line in enumerate(lines):
        if i <= taken or i in code:
            continue
        match = HEADING.match(line) if "#" in line else None
        written = HTML_HEADING.match(line) if not match and "<h" in line.lower() else None
        if match:
            level, title, body_from = len(match.group(1)), match.group(2), i + 1
        elif written:  # in HTML: its title is the text between the tags
            level, title, body_from = int(written.group(1)), re.sub(r"<[^<>]*>", " ", written.group(2)), i + 1
        elif (i + 1 < len(lines) and i + 1 not in code and line.strip() and UNDERLINE.match(lines[i + 1])
              and not NOT_SETEXT_TEXT.match(line) and (i == 0 or not lines[i - 1].strip() or i - 1 == taken)):
            level, title, body_from = 1 if lines[i + 1].strip()[0] == "=" else 2, line, i + 2
        else:
            continue
        taken = body_from - 1
        bare = HEADING_ATTRIBUTES.sub("", title)
        title = clean_heading(bare if bare.strip() else title)  # "## {#each}" is a title, not attributes alone
        if title:
            found.append((i, level, title, body_from))
    return found


def _section(file, path, level, lines, start, end, body_from, tags=(), aliases=(), about="") -> Section:
    body_from = max(body_from, start)
    body = lines[body_from:end]
    first = next((k for k, line in enumerate(body) if line.strip()), None)
    if first is None:
        text, body_start = "", min(body_from + 1, max(end, start + 1))
    else:
        last = max(k for k, line in enumerate(body) if line.strip())
        text = "\n".join(line.rstrip() for line in body[first : last + 1])
        body_start = body_from + first + 1
    last_line = end
    while last_line > start + 1 and not lines[last_line - 1].strip():  # trailing blank lines belong to no one
        last_line -= 1
    return Section(file, path, level, start + 1, last_line, text, body_start, tags, aliases, about)


# --- the folder


def read_notes(folder: Path, suffixes=SUFFIXES, max_note_bytes: int = DEFAULT_MAX_NOTE_BYTES) -> NotesFolder:
    """Every usable note below `folder`, all their sections, and the files skipped with their reasons.

    Raises NotesError (a user message) only when the folder is missing or empty, when no file is
    usable, or when the usable ones hold headings but no text."""
    folder = Path(folder)
    notes, skipped = [], []
    for path in find_note_files(folder, suffixes):
        try:
            notes.append(read_note_file(path, folder, max_note_bytes))
        except Unusable as reason:
            skipped.append(SkippedFile(path.relative_to(folder).as_posix(), str(reason)))
    if not notes:
        listed = "; ".join(f"{s.name} {s.reason}" for s in skipped[:3]) + (" …" if len(skipped) > 3 else "")
        raise NotesError(f"None of the {len(skipped)} notes files in {folder} can be used: {listed}.")
    sections = []
    for k, note in enumerate(notes):
        front = parse_front_matter(note.text.split("\n"))
        sections += parse_sections(note, front)
        if front.remark:
            notes[k] = NoteFile(note.name, note.text, note.sha256, note.remarks + (front.remark,))
    if not any(not s.empty for s in sections):
        raise NotesError(f"The notes in {folder} have headings but no text yet, so there is nothing to answer from.")
    return NotesFolder(notes, sections, skipped)


def read_one(path: Path, folder: Path, max_note_bytes: int = DEFAULT_MAX_NOTE_BYTES) -> tuple[NoteFile | None, list[Section], SkippedFile | None]:
    """One file as read_notes reads it, for updating a folder file by file: (note, its sections, None),
    or (None, [], why it was skipped)."""
    folder = Path(folder)
    try:
        note = read_note_file(path, folder, max_note_bytes)
    except Unusable as reason:
        return None, [], SkippedFile(Path(path).relative_to(folder).as_posix(), str(reason))
    front = parse_front_matter(note.text.split("\n"))
    sections = parse_sections(note, front)
    if front.remark:
        note = NoteFile(note.name, note.text, note.sha256, note.remarks + (front.remark,))
    return note, sections, None


def load_notes(folder: Path, suffixes=SUFFIXES, max_note_bytes: int = DEFAULT_MAX_NOTE_BYTES) -> tuple[list[NoteFile], list[Section]]:
    """(notes, sections) of `folder`; unusable files are left out (read_notes says which and why)."""
    found = read_notes(folder, suffixes, max_note_bytes)
    return found.notes, found.sections


def empty_sections(sections: list[Section]) -> list[Section]:
    """Headings with nothing written under them, counting their subsections: 'Introduction' whose
    subsections hold text is not empty; 'Types of Models' whose subsections are all bare headings is."""
    has_text = set()
    for s in sections:
        if not s.empty:
            for depth in range(len(s.path) + 1):
                has_text.add((s.file, s.path[:depth]))
    titles = _titles(sections, has_text)
    return [s for s in sections if s.path and (s.file, s.path) not in has_text and (s.file, s.path) not in titles]


def _titles(sections: list[Section], has_text: set) -> set:
    """(file, path) of each file's bare title: its first heading, at the top level, with headings of
    its own level after it that hold text ("# Generative AI Personal Notes" above "# Introduction to
    Generative AI"). It names the whole file; "what are my personal notes about?" is not about a
    section with nothing in it."""
    first: dict = {}
    tops_with_text: dict = {}  # file -> its top-level headings that hold text
    for s in sections:
        if s.path and (s.file not in first or s.line_start < first[s.file].line_start):
            first[s.file] = s
        if len(s.path) == 1 and (s.file, s.path) in has_text:
            tops_with_text.setdefault(s.file, set()).add(s.path)
    return {(f, s.path) for f, s in first.items() if len(s.path) == 1 and tops_with_text.get(f, set()) - {s.path}}
