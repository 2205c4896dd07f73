"""Can the notes answer the question? If not, why not?

Retrieval finds passages *near* a question; this module decides whether one of their sentences
*answers* it, before any model runs. A note sentence answers when

1. it (with its heading path and file name) covers the question's focus: every name, code token,
   quoted term and number the question carries, and most of the weight of its content words,
   weighted by how rare each word is in this collection (a word the notes never use weighs most:
   "rerere" over notes that never mention it, "GPT-3" beside a sentence about Phi-3); a name must
   stand in the sentence or the one either side of it, and not only as what it is compared with
   ("better than GPT-3"), a path, command, flag or name of code anywhere in the sentence's section
   (it names the note: `tmp/restart.txt` in its first lines, "every 2 seconds" below);
2. it holds the kind of answer asked for: a number for "how many" (a count of hours for "how many
   hours"), a date for "when", a name for "who", a command or flag for "which flag", a limit for
   "what is the maximum";
3. its evidence score (meaning + focus covered) clears the collection's own threshold, chosen at
   index time from questions made from the notes' own headings and from near-miss copies of them
   whose focus word is swapped for one the notes never use (`calibrate`).

`Decider.decide(question, context, quotes)` returns a `Decision`: the sentences that answer, best
first, or the reason none does. `Focus` says what the question is about and what it asks for.
Ranking passages is retrieval.py's job; building the answer text is grounding.py's.
"""
from __future__ import annotations

import functools
import math
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field

from rag.retrieval import SHORT_FORMS, STOPWORDS, WORD, content_words, plain_letters, same_word, singular_acronyms
from rag.notes import LIST_ITEM, WIKILINK
from rag.support import NUMBER, PICTURE, claims, lead_ins, list_lead_ins, note_sentences, says_nothing, steers, table_header

# Words a question uses to ask, not to name its topic: covering them says nothing about an answer.
ASKING = frozenset(
    """many much way ways possible want need needed happen happens happened go going best good better main different type types list example examples
    exactly specific specifically actually typically usually common commonly supposed look able help new old first instead
    difference differences differ vs versus compare compared comparison""".split()
)  # the comparison asked for ("rag-sequence vs rag-token, what's the difference?"): the notes describe each side
# Code tokens and product names: `x`, --flag, work_mem, init.defaultBranch, gpt-35-turbo, GPT-3, camelCase, f().
CODE = re.compile(r"`([^`]+)`|(?<![\w.-])(--?[a-z][\w-]*|\w+(?:[._:/]\w+)+(?:-\w+)*|[A-Za-z]+\w*(?:-\w+)*-\d[\w.]*(?:-\w+)*|\w+(?:-\w+)*[_]\w+|[a-z]+[A-Z][A-Za-z]+|\w+\(\))", re.U)
# A required term that is a path, a command line or a flag (`tmp/restart.txt`, `mix test file.exs:45`,
# --safe-updates) rather than a name: such a term says which note is meant, and the sentence that
# answers may stand anywhere in that note's section ("... checks (every 2 seconds) ...").
FLAG = re.compile(r"--?[a-z][\w-]*")  # a flag of one letter (-f, -N) is a term of its own, as --follow is
CODE_LIKE = re.compile(r"^-|[/_:=\s]")
# A name of code without a digit, as the question writes it: `logLevel`, networkQuality, console.log,
# `maxSize`. Like a path, it names what its section documents (an option listed above "These options
# will be ignored ..."), where a digit tells one model or version from its sibling ("GPT-3" beside a
# sentence about Phi-3) and must stand by the sentence, as must a product's name (GitHub, macOS).
IDENTIFIER = re.compile(r"`([^`\d]+)`|(?<![\w.])([a-z]+[A-Z][a-z][A-Za-z]*|[a-z][A-Za-z_]*\.[a-zA-Z][A-Za-z_]*(?:\(\))?)(?![\w.-])")
# A name of code in backticks whose case changes inside it: `Jinja2Templates`, `SessionMiddleware`.
CODE_NAME_SPAN = re.compile(r"`([A-Za-z_$][\w$]*[a-z0-9][A-Z][\w$]*)`")
# What a sentence compares its subject with ("better than GPT-3", "compared to Mistral Large") is not
# what it is about: a name there does not cover a question that compares nothing.
COMPARES = re.compile(r"\b(than|compared?|comparison|versus|vs)\b", re.I)
BASELINE = re.compile(r"\b(?:than|compared (?:to|with)|versus|vs\.?)\s+(?:the\s+)?[\w.-]+(?:\s+(?-i:[A-Z0-9])[\w.-]*)*", re.I)
COMPOUND = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?:-[A-Za-z]{2,})+(?![\w-])")  # self-attention, zero-shot, code-first
# A count joined to its noun by a dash ("Chiara's *10-lesson* bundle", "a *64-bit* build") says which of
# its kind is meant: "5-lesson bundle will be £115" prices another. Said with that count and noun, with a
# dash, a space or neither, the noun in any form ("10 lessons", "45 min" for "45-minute").
COUNTED_NOUN = re.compile(r"(?<![\w.-])(\d{1,4})-([a-z]{3,})(?![\w-])", re.I)
# "quoted" or 'quoted' terms; an apostrophe inside a word ("file's", "didn't") quotes nothing
QUOTED = re.compile(r"[\"“]([^\"”]{2,40})[\"”]|(?<!\w)'([^']{2,40})'(?!\w)")
CAPITAL = re.compile(r"(?<![\w.])([A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)")
# A URL, a link's target or a tag, none of them words of the note. A tag stands on one line and holds no
# code: a JSX element's `{someCondition && handleKeyPress}`, written over three lines, is code the note shows.
# It opens with a letter, "/", "!" or "?" (`<a href=...>`, `</span>`, `<!-- -->`, `<https://...>`), as
# CommonMark's tags and autolinks do: "DEADLINE: <2026-02-03 Tue>", org-mode's date, is text.
LINK = re.compile(r"\]\([^)]*\)|<(?=[A-Za-z/!?])[^>\n{}]*>")  # a link's target or a tag
URL = re.compile(r"https?://\S+|" + LINK.pattern)  # and any bare address
# The attributes a tag writes, which URL takes out with it: in code they are names of code ("<span
# unicorn:visible.threshold-25=...>", `hx-get`, `v-model`, `@click`), which a section says wherever
# in it they stand. HTML_TAG is LINK's tag less closing tags and comments, which write no attribute;
# its name is not notes.TAG, a note's #hashtag
HTML_TAG = re.compile(r"<(?=[A-Za-z])[^>\n{}]*>")
TAG_ATTRIBUTE = re.compile(r"(?<=\s)[@:A-Za-z][\w:.@-]*(?=\s*=|\s|/?>)")
# A link whose text is one word that its address repeats, a name linked to its own page:
# [resolvelib](https://pypi.org/project/resolvelib/), [`standard`](https://standardjs.com/); not [here](...).
LINKED_NAME = re.compile(r"\[[`*_]{0,2}([\w.+-]+)[`*_]{0,2}\]\(([^)\s]*)")  # "[*django-structlog*](https://pypi.org/...)" too
# A digit that is part of a name (gpt-35-turbo, Falcon-40B, Phi-3, llama3, embedding_index_3m) or a
# manual page's section (popen(3), resolv.conf(5)) is no quantity.
NAMED_NUMBER = re.compile(r"\b[A-Za-z][A-Za-z._]*-?\d[\w.]*(?:-\w+)*|(?<=\w)\(\d[a-z]?\)")
# A "one" that counts nothing: "one of the best ways", "one another", and "one" after a word that picks a
# thing out ("the last one", "this one", "a new one", "which one"), which stands for that thing: "...
# nobody recorded when the last one was." gives no duration
UNCOUNTED_ONE = re.compile(r"\bone(?= of\b| another\b)|\b(?:the|this|that|which|each|every|any|no|last|first|next|other|same|new|old|only|latest|previous|current|right|wrong|big|small|little|good|bad|main|older|newer|bigger|smaller|better|worse)\s+one\b(?!\s*-|\s+in\s+(?:\d|ten|a|an|every)\b)", re.I)
NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion|trillion|half|double"
QUANTITY = re.compile(rf"\d|\b({NUMBER_WORDS})\b", re.I)
# a count a question writes in words, as its figure ("four-tier" is "4-tier", _covers): NUMBER_WORDS' first twelve
COUNT_WORDS = {w: str(n) for n, w in enumerate(NUMBER_WORDS.split("|")[:12], 1)}
# A year or decade the question places its subject in ("the first chatbot built in the 1960s") must
# stand by the answer; one it measures against ("released before 2020") need not.
YEARS = r"\b(1[6-9]\d\d|20\d\d)s?\b"  # a year or its decade: 2017, 1960s
YEAR = re.compile(r"(?<!before )(?<!after )(?<!since )(?<!until )(?<!prior to )(?<!by )" + YEARS, re.I)
# A time said against now also dates what it tells: "it has exploded in the past decade" answers when.
RELATIVE_DATE = r"\b(?:in|over|during|within) the (?:past|last|previous) (?:few |couple of |\w+ )?(?:decades?|years?|centur(?:y|ies))\b|\b(?:a|\w+) (?:decades?|years?) ago\b"
# A month cut short beside a day's number: "Friday 13 Nov", "by Nov 4", "Sept. 30th"; alone, "mar" or
# "dec" is as likely a word or a decimal.
SHORT_MONTH = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
DATE = re.compile(YEARS + r"|(?<![\w.])['’]?[2-9]0s\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|"
                  + rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{SHORT_MONTH}\b|\b{SHORT_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|" + RELATIVE_DATE, re.I)

# Asked how something stands now: "What's the latest on the extractor fan?", "which version is it on
# now?", "where are we at with the quote?" (grounding.latest_entries)
LATEST_ASKED = re.compile(r"\b(?:latest|now|currently|at the moment|these days|at present|so far|still|up to date|where (?:are|is|do) (?:we|things|it|they) (?:at|stand))\b", re.I)

# A value struck out and a new one written after it: "~~£1,050~~ → £1,125 pcm", "~~Tue 4:30~~ **Wed 5:15**"
UPDATED = re.compile(r"~~[^~\n]+~~\s*(?:→|->|=>|—|–|-|:|,)?\s*[\w*£$€#]")

# What may stand between the asking word and the noun it asks for: a verb or a pronoun after it asks
# of no noun ("which *should* I use?"), a determiner opens the noun's phrase (HEAD, DONE_BY_ASKED)
_NO_NOUN = r"(?:should|can|could|would|will|do|does|did|might|must|shall|i|you|we)\b"
_DETERMINER = r"(?:the\s+|a\s+|an\s+|my\s+|our\s+|your\s+|his\s+|her\s+|their\s+)?"
# What a question asks for. Order matters: the first match names the kind.
# The noun a "what/which/how many" question asks about: "What *license* is Llama 3.1 released under?",
# "How many *parameters* does GPT-3 have?". A sentence that answers names it (when the notes use the
# word anywhere at all): the Llama 3.1 sentence that says nothing of a licence does not answer. The
# noun may be followed by a verb of the third person and its object, as well as by an auxiliary or a
# preposition: "Which environment *variable* sets the default port?", "Which *parameter* controls how
# many tokens ...?" ("sets", not the "-ss" of "class"), or by a verb and a clause saying when: "Which
# *hook* runs when a client closes the connection?" asks for a hook, not for a "run". Whose it is may
# stand before it: "What was my average heart *rate* in the Fenmoor 10k?" asks for a rate. After "is"
# or "was", a clause may say on what condition: "What's the *penalty* if a loan scope comes back late?"
# ("What happens if ...?" has no noun: "happens" is its verb).
HEAD = re.compile(
    r"^\s*(?P<lead>and\s+|so\s+|in\s+|on\s+|for\s+|with\s+)?(?P<asker>what|which|how many|how much|who)(?P<copula>'s|\s+is|\s+are|\s+was|\s+were)?(?!\s+" + _NO_NOUN + r")\s+" + _DETERMINER + r"(?P<phrase>(?:[\w'’.-]+\s+){0,2}?[\w'’.-]+)\s+(?:(?:is|are|was|were|does|do|did|can|could|should|would|will|has|have|had|of|for|in|on|to|when|that|which|used|between|from|by|with|at|(?(copula)if|(?!)))\b|(?-i:[a-z]+[^s\W]s)\s+(?:the|a|an|my|your|its|it|how|what|which|whether|when|whenever|if|before|after|once|while)\b)",
    re.I,
)
# "What was the claim *reference* Packhorse gave me for Declan's jug?": after "is" or "was", the noun
# asked about may be followed by a clause that says who did what with it, without "that" (a name or a
# pronoun, then a verb in the past); the noun's words are in lower case, so a person's name ("What was
# Josiah Varcombe apprenticed as?") is not read as a noun and its clause
CONTACT_ASKED = re.compile(
    r"^\s*(?P<lead>and\s+|so\s+)?(?P<asker>what|which)(?P<copula>'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+|your\s+)?"
    r"(?P<phrase>(?-i:(?:[a-z][\w'’.-]*\s+){0,2}?[a-z][\w'’.-]*))\s+(?:i|we|you|he|she|they|(?-i:[A-Z][\w'’-]+))\s+"
    r"(?:[a-z]+(?<!e)ed|gave|got|paid|sent|took|made|told|chose|bought|sold|wrote|said|put|set|spent|lent|left|brought|found|kept|won|lost)\b", re.I)
# "Pellow Marine want to know what size propeller ...": what is asked follows "to know" (focus_of)
WANTS_TO_KNOW = re.compile(r"^[^?]*?\b(?:wants?|wanted|needs?|needed|would like|'d like|asked|asks|asking)\s+(?:me\s+|us\s+)?to\s+know\s+", re.I)
# "What are Northfield Vets' opening *hours*?", "what's my blood *pressure*?": a thing of someone's,
# asked by its name with nothing after it (HEAD wants a verb or preposition after the noun)
OWNED_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what|which)(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?:(?:my|our|your|his|her|their)\s+|(?:the\s+)?(?:[\w.&-]+\s+){0,3}?[\w.&-]*?(?:'s|’s|s'|s’)\s+)"
    r"(?P<phrase>(?:[\w.-]+\s+){0,3}?[\w.-]+)(?:\s+(?:now|then|currently|today|these days))?\s*\?\s*$", re.I)
# "Is there a dress code for the awards night?": whether there is such a thing (focus_of)
THERE_ASKED = re.compile(r"^\s*(?:so\s+|and\s+)?(?:is|are)\s+there\s+(?:a|an|any|some)\s+(?P<phrase>(?:[\w.'’-]+\s+){0,3}?[\w.'’-]+)"
                         r"\s+(?:for|in|on|at|to|that|which|who|i|we|you|when|if|with|like|of|where)\b", re.I)
# "Does my Allsure policy give me a no-claims discount, and how much is it?": a thing a yes-or-no
# question brings in with "a", then asked of by "it" (focus_of)
BROUGHT_IN_ASKED = re.compile(
    r"(?:^|[,.;:]\s*)(?:do|does|did|is|are|was|were|can|could|will|would|have|has|should)\s+[^?]*?\b(?:a|an|any)\s+"
    r"(?P<phrase>(?:[\w.'’-]+\s+){0,2}?[\w.'’-]+)\s*(?:\?\s*|,?\s+and\s+|,\s*)(?:and\s+|so\s+)?"
    r"(?:how much|how many|how long|what|when|where|which)(?:'s|’s|\s+(?:is|are|was|were|does|do|did|will))\s+(?:it|they|that)\b", re.I)
# "How many grams of ginger go in the dal?", "how many puffs of the brown preventer": a measure of a
# thing, asked in the measure's unit; the thing measured is asked about as the unit is (focus_of)
# the thing after "of" (not "each" or "them"), up to a verb, a pronoun or a preposition after it
_OF_THING = r"of\s+(?!(?:each|every|all|any|it|them|those|these|that|this)\b)(?:the\s+|my\s+|our\s+|your\s+|his\s+|her\s+|their\s+"
_THING_ENDS = (r"(?P<thing>(?:[\w'’-]+\s+){0,2}?[\w'’-]+)(?=\s+(?:do|does|did|is|are|was|were|go|goes|went|has|have|had|can|could|should|would|will"
               r"|get|gets|got|i|we|you|in|on|at|for|to|per|left|before|after|from|with")
MEASURED_OF = re.compile(r"\bhow (?:many|much)\s+[a-z]+\s+" + _OF_THING + r"|a\s+|an\s+)?" + _THING_ENDS + r")\b|\s*[?,]|\s*$)", re.I)
# "What is the maximum number of requests ...?", "What's the phone number of our dental practice?": a
# count of a thing or a number that belongs to it; the thing is asked about as MEASURED_OF's thing is
# ("max_tokens=100," counts no requests; the hall caretaker's phone is no dental practice's)
NUMBER_OF = re.compile(r"\b(?:what|which)(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:[a-z]+\s+)?number\s+" + _OF_THING + r")?"
                       + _THING_ENDS + r"|and|or|that|which|allowed)\b|\s*[?,]|\s*$)", re.I)
# "What was the name of the missing Tarne Light keeper?": a name asked for by what it is the name of,
# the thing a sentence that answers names (focus_of)
NAME_OF = re.compile(
    r"\b(?:what|which)(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?(?:(?:exact|full|current|real|proper|actual|official|old|new)\s+)?names?\s+of\s+"
    r"(?:the\s+|my\s+|our\s+|your\s+|his\s+|her\s+|their\s+|a\s+|an\s+|[\w.-]+['’]s\s+)?(?P<thing>(?:[\w'’.-]+\s+){0,3}?[\w'’.-]+)"
    r"(?=\s+(?:who|that|which|i|we|you|he|she|they|at|in|on|for|from|with|by|up|down|left|used|behind|after|before|during|when|where)\b|\s*[?,]|\s*$)", re.I)
# A day of the week, whole or cut short, or a month cut short ("Sat", "Thurs", "Sept"); a month written
# whole is a DATE already
DAY_OR_MONTH = re.compile(r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?|(?i:" + SHORT_MONTH + ")")
# "Who's the HillSoc social secretary?", "who is my dentist?": whoever holds a role, asked by its name
# with nothing after it (HEAD wants a verb or a preposition after the noun)
ROLE_ASKED = re.compile(r"^\s*(?:and\s+|so\s+)?who(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?:the|my|our|your|his|her|their)\s+"
                        r"(?P<phrase>(?:[\w.&'’-]+\s+){0,3}?[\w.&-]+)(?:\s+(?:now|then|currently|these days))?\s*\?\s*$", re.I)
# "When is Noor's birthday?": the day of one person's thing, asked by its name
EVENT_ASKED = re.compile(r"^\s*(?i:when(?:'s|’s|\s+is|\s+was))\s+[A-Z][\w.-]*(?:'s|’s)\s+(?P<event>[a-z][\w-]*)\s*\??\s*$")
# Verbs in the past whose form says so by no ending: "what models *came* from transformers?"
IRREGULAR_PAST = frozenset("came went made gave took led grew began became arose rose brought built got found ran wrote drew".split())
PARTICLES = frozenset("out up off down back over away along about".split())  # "came *out*", "took *off*"
# "Which *undertaker* handled Eliza's funeral?", "which *lab* processed the samples?": the noun asked for is
# the subject of a verb in the past, and what follows names what it acted on (an article, a pronoun, a
# name); HEAD waits for "is", "of" or a verb in -s, and would find no noun to ask for. A version is
# asked for by its shape (VERSION_ASKED), which "As of Elixir 1.3, ..." shows without the word. Its
# copula group never matches (no "is" stands before the noun): focus_of reads that group of each
# pattern that names the noun
DONE_BY_ASKED = re.compile(
    r"^\s*(?P<lead>and\s+|so\s+)?(?P<asker>what|which)(?P<copula>(?!))?\s+(?!" + _NO_NOUN + r")" + _DETERMINER + r"(?P<phrase>(?:[\w'’.-]+\s+){0,2}?(?!versions?\b)[\w'’.-]+)\s+"
    r"(?-i:[a-z]{3,}ed|" + "|".join(sorted(IRREGULAR_PAST)) + r"|bought|sold|sent|paid|won|kept|told)\s+"
    r"(?:the|a|an|my|our|your|his|her|their|its|me|us|him|them|(?-i:[A-Z][\w'’-]*))\b", re.I)
# Words naming the kind of answer rather than its topic ("what *year*", "which *kind*").
KIND_WORDS = frozenset(
    """year date time day month decade century kind kinds type types sort way ways thing things one ones command flag option method function
    name word term part step steps example examples main key different common various several other specific best good default called named set used made done
    program programs tool tools utility app application command package library
    setting settings keys shortcut shortcuts keybinding keybindings syntax variable variables config configuration
    size amount length duration interval count number percentage percent ratio total value values character characters symbol range
    string strings class classes feature features service services structure structures limit limits
    alternative alternate nice easy simple quick better proper correct right recommended preferred usual typical exact actual cheeky handy clean neat""".split()
)  # the names of a command's kinds as KINDS has them ("which git *setting* controls the pager?": `core.pager`);
# the measure words next: "what image *size*" asks for a number ("1024x1024 pixels"), the note need not say "size"
# (nor "interval": "the default is 2 seconds in between subsequent executions");
# "string": "what model_name *string* ...?" asks for the literal (`"Llama-3.2-90B-Vision-Instruct"`);
# "class": "which cache store *class* do I mock Rails.cache with?" asks for one by name (`MemoryStore`);
# "feature", "service", "structure", "limit": "which Azure OpenAI *feature* is the example?" is answered by
# "the content filtering system", "which data *structure*" by "DataFrames", "the default *limit*" by "7 days";
# and the words that judge the answer rather than name its topic: "what *exact* command", "the cheeky
# *alternative* name" (dev halves: til-051 answered, nothing else moved)
# "Which file / directory ...?" asks for a place, and a path or a file name names one ("placed in
# `test/cctest`", "defaults to `index.js`"): the note need not say "file".
PLACES = frozenset("file directory folder path filename".split())
# A noun that only says which kind of thing is asked for ("What *environment* variable ...?", "What
# *keyboard* shortcut ...?") is said by a thing of that kind, by its shape, without the word:
# `let $FZF_DEFAULT_COMMAND = ...`, `PORT=3000 npm start`, `process.env.API_KEY`; `Cmd+Shift+M`, `Ctrl-n`, `<C-w>`.
# The same holds for such a word typed as a name ("what *URL* is it served at?", a required acronym).
# Quantities named by what they measure ("temperature", "spacing", ...) join it below PRICE, which
# "price" and "cost" share with the number kind.
SHOWN_BY_SHAPE = {
    # or a name in capitals called a variable: "The `HATCH_PYTHON_CUSTOM_PATH_<NAME>` variable is the path ..."
    "environment": re.compile(r"\$\{?[A-Z][A-Z0-9_]*[A-Z0-9]\b|(?<![\w.-])[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]=|\b[A-Z][A-Z0-9]{2,}=\S|\b(?:process\.env|os\.environ|ENV)\b"
                              r"|`[A-Z][A-Z0-9]*_[A-Z0-9_<>{}]*[A-Z0-9>}]`\s+variables?\b"),
    "keyboard": re.compile(r"\b(?:Cmd|Command|Ctrl|Control|Alt|Opt|Option|Shift|Meta|Super)\s*[-+]\s*(?:[a-z0-9](?![a-z])|(?:Shift|Alt|Option|Ctrl|Cmd|Enter|Return|Tab|Space|Esc|Escape|Up|Down|Left|Right|Delete|Backspace|F\d{1,2})\b|[^\w\s])"
                           r"|[⌘⌃⌥⇧]\s*\w|<[CMADS]-[^>\s]+>", re.I),
    # "what URL is it served at?": `/images/logo.svg`, https://..., localhost:3000 (read before links are taken out)
    "url": re.compile(r"\bhttps?://\S+|`/[\w./%?=&-]*`|\blocalhost:\d+"),
    # "what function signature ...?": a name with its parameters, `send_email(to: string, body: string)`, or `<T>() => {}`
    "signature": re.compile(r"[A-Za-z_$][\w$.]*\([^()\n]*\)|\([^()\n]*\)\s*=>"),
    # "what's the phone number of Calder Physio?": "Calder Physio, 88 Kiln Street, 555-0167." (seven
    # figures or more in groups, none a date's "2026-03-12"; or in pairs, as Norway and France write
    # them: "Phone: 22 33 44 55")
    **{w: re.compile(r"(?<![\w.])(?!\d{4}-\d\d-\d\d)(?=(?:[ .()-]?\d){7})(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?(?:\d{2,5}(?:[ .-]\d{3,6}){1,3}|\d\d(?:[ .]\d\d){3,4})(?![\w.]*\d)")
       for w in ("phone", "telephone", "mobile", "tel")},
    # "what IP address does the router's laptop port have?": "192.168.199.1/24", "fd00::53"
    "ip": re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w.]*\d)|(?<![\w:])(?=[\w:]*\d)(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3,7}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?:/\d{1,3})?(?![\w:])", re.I),
    # "in which major version was it added?": "Starting 5.x.x., there is ...", "v2.1", "1.8.1", "18.x"
    # and "git 2.17+", "Python 3.6+": a version and those after it
    "version": re.compile(r"(?<![\w.])(?:v\d+(?:\.\d+)*|\d+\.\d+\.(?:\d+|x)|\d+(?:\.x)+|\d+\.\d+\+)(?![\w])", re.I),
    # "what model is our boiler?": a product's model is a name with a figure in it ("Greenstar 30i",
    # "WH-1000XM4", "gpt-4o"), not an amount in its unit ("8km", "30min") or an ordinal ("3rd")
    "model": re.compile(r"\b[A-Za-z]+-?\d[\w-]*|\b\d+(?!(?:st|nd|rd|th|km|kg|g|mm|cm|m|mins?|h|hrs?|s|ms|am|pm|x|k|mb|gb|tb|kb|l|ml|w|kw|v|hz|khz|mhz|ghz|p|lbs?|oz)\b)[A-Za-z][\w-]*"),
    # "what's the serial number of the timer?": "Rainlore DT-4, s/n RL-DT4-22817" (a serial number
    # written short, before a code with a figure in it; "s/n at pound?" in a rescue's notes is spayed
    # or neutered, and "s/n in [[Lenses]]" says where it is, not what it is)
    "serial": re.compile(r"(?<![\w/])(?i:s/n|ser\.?\s*no\.?)\s*[:#]?\s*(?=[\w/-]*\d)[A-Z0-9][\w/-]*"),
    # "what was the Marlow order reference?": "order MB-30112", "quote TQ-5523 (rev A)", "Ref CBF/25/0117"
    # (letters and four figures or more, joined by a dash or a slash)
    "reference": re.compile(r"(?<![\w/-])(?=[\w/-]*[A-Za-z])(?=(?:[\w/-]*\d){4})[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)+(?![\w/-])"),
}
# The kinds above show the thing itself, so a sentence that shows one says the noun asked about as
# much as one that writes it ("**Worcester Bosch Greenstar 30i** combi." says the boiler's model);
# a quantity's unit (below) does not: "Bake at 250 °C" is the temperature of another recipe as often
# as of the one asked about.
NAMED_BY_SHAPE = frozenset(SHOWN_BY_SHAPE)


def shown_by_shape(term: str, text: str) -> bool:
    """Whether the text shows a thing of the kind the term names (SHOWN_BY_SHAPE), without the word."""
    shape = SHOWN_BY_SHAPE.get(shape_named(term))
    return shape is not None and bool(shape.search(text))


@functools.lru_cache(maxsize=4096)
def shape_named(term: str) -> str:
    """The kind in SHOWN_BY_SHAPE a word names, as typed or, at eight letters or more, mistyped
    ("temprature" for "temperature"), or "": a shorter word is as often another word ("heading" is
    one letter from "reading")."""
    if term in SHOWN_BY_SHAPE:
        return term
    if len(term) < 8:
        return ""
    return next((kind for kind in SHOWN_BY_SHAPE if len(kind) >= 8 and same_word(term, kind)), "")


# A status, exit or return code is a number: "By default 403 responses will be returned" says which
# status code, without the word "code".
CODE_NUMBER_ASKED = re.compile(r"\b(?:status|exit|return|error|response)\s+code\b", re.I)
PATH = re.compile(r"`[^`\s]*(?:/|\w\.[a-z][a-z0-9]{0,4}`)[^`\s]*`?|(?<![\w/])(?:~|\.{1,2})?/?[\w.-]+/[\w./-]*\.[a-z][a-z0-9]{0,4}\b|(?<!\w)~/\S+")
# A comparison a quantity question asks for ("how much *smaller* did node_modules get"): the answer is
# the figures ("from 400MB to 11MB"), and the note need not use the comparative.
COMPARATIVE = frozenset(
    """smaller larger bigger faster slower cheaper longer shorter higher lower better worse fewer greater quicker
    heavier lighter older newer wider narrower earlier later more less maximum minimum max min""".split()
)
# "Which tool / model can ...?" asks for one by name; "which external tools or libraries" for a list
WHICH_THING = re.compile(
    r"\bwhich (?:[\w.-]+ ){0,2}?(?:tool|model|library|framework|app|service|product|package|plugin|extension|editor|database|llm)s? "
    r"(?:can|could|does|do|did|is|are|was|were|has|have|will|should|would|[a-z]+ed|[a-z]+[^s\W]s)\b",
    re.I,
)
# "Who made X?" asks for the maker (`has_kind`): the answer says X was made, and by whom, in one of
# these words ("introduced" answers "who invented", "released" answers "who made").
MAKING = r"(?:creat|made|mak|develop|buil[dt]|found|invent|wr[io]t|design|releas|train|introduc|own|publish|launch|author)\w*"
MAKER = re.compile(rf"\b(?:who|which \w+)\s+(?:first\s+)?{MAKING}\b", re.I)
MADE_BY = re.compile(rf"\b(?:by|{MAKING})\b", re.I)
# A checklist's box not ticked ("- [ ] Crown Prince squash — didn't need it", its marker gone), or a
# task Logseq marks not done ("TODO renew the parking permit", "LATER call the plumber"), and a
# question about what was done: "Which seeds did I order?", "what have we packed?", "what I bought";
# not "how long have I got to get out?", where "have got" is what one has, and the box "- [ ] set
# alarm, out through side door within 45 s" says it
UNTICKED = re.compile(r"^\s*\[ \]\s|^\s*(?:TODO|LATER|NOW|DOING|WAITING)\s")
DONE_ASKED = re.compile(r"\b(?:did|have|has|had)\s+(?:i|we|you|they)\b(?!\s+got\b)|\b(?:i|we)\s+(?!need\b)[a-z]+ed\b", re.I)
# The other way round, "what's left to do before race day?", "what do we still need to sort?", "what
# needs doing on the raised beds?" asks for what is not done: a box not ticked, or a line that says
# so ("still need to book the ryokan"); not "what's left each month?", the money that remains.
TICKED = re.compile(r"^\s*\[[xX]\]\s|^\s*(?:DONE|CANCELED|CANCELLED)\s")  # and Logseq's "DONE pay the water bill"
REMAINING_ASKED = re.compile(
    r"\b(?:what|anything|everything)(?:'s| is| are)?(?: still)? left (?:to|on)\b|\b(?:what|which|anything)\b[^?.]*\bstill (?:(?:need|needs|have|has|got) to|to [a-z]+)\b"
    r"|\b(?:what|which)\b[^?.]*\b(?:haven't|hasn't|not yet)\b[^?.]*\b(?:done|booked|bought|sorted|packed|paid)\b"
    r"|\bwhat\b[^?.]*\b(?:needs?|wants?) (?:doing|to be done)\b", re.I)
# The words that ask for what is not done yet, no topic of it: notes that never say "still" or "left"
# answer "what's left to do from the Falcon meeting?" by its boxes not ticked.
TODO_WORDS = frozenset("still left yet remaining outstanding pending undone".split())
NOT_DONE_SAID = re.compile(r"\b(?:still (?:need|needs|have|has|to)|need(?:s)? to|yet to|to-?do|outstanding|not (?:yet )?(?:done|booked|sorted|paid))\b|\bTBD\b", re.I)


# "What do we still need to *book*?" asks for the boxes about booking; "what's left to do?" for them all.
NAMED_TASK = re.compile(r"\b(?:(?:need|needs|have|has|got) to|still to|left to|yet to) (?!do\b)[a-z]+", re.I)


def every_item_asked(question: str) -> bool:
    """Whether the question asks for everything not done yet, not the part of it one task names."""
    return bool(REMAINING_ASKED.search(question)) and not NAMED_TASK.search(question)


def left_out(question: str) -> re.Pattern | None:
    """The checklist boxes an answer to the question leaves out: the unticked ones when it asks what
    was done (DONE_ASKED), the ticked ones when it asks what is left (REMAINING_ASKED)."""
    if REMAINING_ASKED.search(question):
        return TICKED
    return UNTICKED if DONE_ASKED.search(question) else None


# A time of day: "2pm", "09:30", "10:00–11:30", "at 2:40", "noon"; not a price (£7.99), a pace
# (6:15/km) or a run's time ("| 25:48 | 5:10 |", "1:12:40"), which only a word before it makes a time.
CLOCK = re.compile(
    r"\b(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)|(?<![\d:.])(?:[01]\d|2[0-3]):[0-5]\d(?![:\d/])"
    r"|\b(?:at|by|from|until|till|before|after|around|about)\s+(?:[01]?\d|2[0-3])[:.][0-5]\d(?![:\d/])|\b(?:noon|midday|midnight)\b", re.I)
# a time named by what takes it: "What's the *baking time* for the traybake?", "the response time" (a
# stretch of time, not a time of day)
TIME_TAKEN_ASKED = (r"\b(?:what|which)(?:'s| is| was| are)?(?: the| my| our| its| their)? (?:[\w-]+ ){0,2}?(?:\w+ing|cook|prep|run|wait|travel|drive"
                    r"|flight|lead|turnaround|response|build|boot|bake|journey|transit|delivery|recovery|restore|setup|queue|down) times?\b")
# "What is Jest's default test timeout?", "what polling interval does it use?": a span of time ("5 seconds",
# "5000 ms"), which "`jest.setTimeout` can be called multiple times" does not give; not what a timeout does
# ("What does timeout.refresh() do?")
WAIT_ASKED = (r"\b(?:what|which)(?:'s| is| was| are)? (?:the |my |our |its |their )?(?:(?!(?:does|do|did|can|should|will|would|happens)\b)[\w.'’-]+ ){0,3}?"
              r"(?:timeout|interval|delay|ttl)s?\b(?![.(])")
# "What's my new salary?", "what is the monthly cost of Netflix?", "what did Steve charge?", "what did
# the test bar machine set us back?", "what am I paying a month for the unit?", "what are we charging
# for a dozen eggs now?", "what's the buildings *sum insured*?", "what's the wedding *budget*?": a sum of
# money ("£12.99"), not any figure
SET_BACK = r"\bset (?:me|us|you|him|her|them) back\b"  # its words ask what it cost and name no topic (focus_of)
MONEY_ASKED = (r"\b(?:what|which)(?:'s| is| are| was| were)?(?: the| my| our| your)? (?:[\w-]+ ){0,3}?(?:price|cost|fee|salary|rent|wage|charge"
               r"|pay|paying|paid|charging|charged|premium|excess|sum insured|budget|fare|toll|refund|bonus)s?\b(?! functions?\b)|" + SET_BACK
               # and a rate of pay for a stretch of work: "What's Kezia's full day rate now?", "What hourly rate am I paying Saoirse?"
               + r"|\b(?:hourly|day|daily|weekly|nightly|night|half[- ]day|full[- ]day) rates?\b|\brate of pay\b|\bpay rates?\b")
# "how much was the final *bill*?", "what did the invoice *come to*?": what was paid, a sum of money, so
# "Invoice: Aug 20, went to Bernard, he paid Sep 2" gives none
BILLED = r"\bhow much\b.*\b(?:invoices?|bills?|payments?|quotes?|quoted)\b|\b(?:come|comes|came) to\b(?=\s*(?:\?|$|in the end|altogether|in total|all in))"
# "What does GPT stand for?", "what's RAG short for?", "the full form of LLM": the term asked about
STANDS_FOR = re.compile(
    r"\bwhat\s+(?:does|do|did)\s+(?:the\s+(?:acronym|abbreviation|letters?)\s+)?[\"'`“]?([A-Za-z][\w.-]{1,11}?)[\"'`”]?\s+stands?\s+for\b"
    r"|\bwhat(?:'s|’s|\s+is)\s+[\"'`“]?([A-Za-z][\w.-]{1,11}?)[\"'`”]?\s+short\s+for\b"
    r"|\b(?:full\s+form|expansion|long\s+form)\s+of\s+(?:the\s+)?[\"'`“]?([A-Za-z][\w.-]{1,11})", re.I)
# The words that ask so, which name no topic of the answer
FULL_FORM_WORDS = {"stand", "short", "full", "form", "long", "expansion", "acronym", "abbreviation", "letter"}
# The words of a question that only say which kind of answer it asks for (focus_of weighs none of them)
ASKING_OF_KIND = {"full form": FULL_FORM_WORDS, "todo": TODO_WORDS}


# A version asked for, but not "version control", a "version manager" or a version's parts: "which
# version *component* ...?" asks for the component, not a version number.
VERSION_ASKED = r"version(?!\s+(?:control|manager|component|part|scheme|option|setting|field|format)s?\b)"
# What a version asked for is written as: "2.18.4", "PVE 9.1", "v20", "5.x.x", "postgres:16", "Node 20",
# "latest"; not a port or a count ("host port 13378", "stopped at chapter 3" say no version of Audiobookshelf)
VERSION_WANTED = re.compile(r"\b(?:what|which)\b(?:(?!\bhow\b)[^?])*?\b" + VERSION_ASKED + r"\b", re.I)
# What a version is asked of, typed before the word ("What *redis* version does the Paperless stack
# run?") or after "of": a name the notes use, which the sentence that gives the version must say as a
# name asked for must; "2.18.4" in the row of paperless-ngx's image gives no version of redis. Not a
# word that says which version ("the *latest* version", "which *major* version") or of what kind.
VERSION_OF = re.compile(r"\b(?:what|which)(?:'s|’s|\s+is|\s+are|\s+was)?\s+(?:the\s+|my\s+|our\s+|your\s+)?(?P<thing>(?-i:[a-z])[\w.+-]*)\s+" + VERSION_ASKED + r"s?\b"
                        r"|\b(?:what|which)\s+" + VERSION_ASKED + r"s?\s+of\s+(?:the\s+|my\s+|our\s+|your\s+)?(?P<of>(?-i:[a-z])[\w.+-]*)", re.I)
WHICH_VERSION = frozenset("latest current newest oldest earliest minimum maximum min max exact specific same first last next previous "
                          "major minor patch stable default required supported recommended new old right wrong lowest highest".split())
VERSION_SHAPE = re.compile(r"(?<![\w.])v?\d+(?:\.(?:\d+|x))+(?![\w.]*\d)|(?<![\w.])v\d+\b|(?:(?<=[:@])|(?<![\w.-])(?-i:[A-Z])[\w+-]*\s|\b(?:version|release)\s)\d{1,3}(?![\w.,%°£$€])|\b(?:latest|stable|nightly|lts|edge|beta)\b", re.I)
# An email address asked for by its name ("What's Dev's email address at Stackwise?", "what is Anna's
# e-mail?"), not email as a topic ("which trigger makes the flow run for emails with an attachment?")
EMAIL_ASKED = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|which)(?:'s|’s|\s+is|\s+are|\s+was)?\s+(?:[\w.'’-]+\s+){0,3}?e-?mail(?:\s+address(?:es)?|(?=\s*\?))", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number asked for by its name, as an address is ("What's Dev Ramasawmy's phone number at the
# council?", "what's Kofi's mobile?"), or as the number one rings ("what number do I ring to get hold of
# Wim?": "acct BKD-4471" is no such number); its shape is SHOWN_BY_SHAPE's
PHONE_ASKED = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|which)(?:'s|’s|\s+is|\s+are|\s+was)?\s+(?:[\w.'’-]+\s+){0,3}?(?:phone|mobile|telephone)(?:\s+numbers?|(?=\s*\?))"
                         r"|\bwhat\s+numbers?\s+(?:do|should|can|could|would|will|did)\s+(?:i|we|you|they)\s+(?:ring|call|text|dial|phone)\b", re.I)


# A number that names a thing rather than counts it ("What's the policy number for our Oakhurst home
# insurance?", "the booking ref"): a reference of four or more letters and figures, with a figure
# ("HX-2231-77", "QX7PLM", "00412876"); not a year or a season ("2025-26"), a date, a sum or a measure.
# Typed as a chat message types it ("whats"), with the noun's letters beside it ("the car's chassis
# (VIN) number"); a bank's sort code too ("20-45-77", not "ending ...5520"), and a charity's or a
# company's number in its register ("[ ] Annual return to the Charity Commission" gives none), and a
# crime's, an incident's, a report's or a job's number ("Reported to police online 14 Oct." gives none). Not
# "PO": the notes join it to its figures ("Raised PO-31188."), which then say no "PO" to the
# sentence's other words.
_REFERENCE_NOUN = (r"(?:policy|account|reference|ref|invoice|order|booking|membership|member|serial|customer|tracking|registration|case|ticket|claim"
                   r"|part|flight|confirmation|passport|licen[cs]e|chassis|contract|patient|student|staff|employee"
                   r"|reservation|engine|vin|certificate|cert|card|vat|token|permit|voucher|utr|nhs|sort|charity|company|crime|incident|report|job)(?:\s*\([\w\s]{1,12}\))?\s+(?:number|no|numbr|code|id|ref)s?\b")
REFERENCE_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:what|which)(?:'s|’s|s|\s+is|\s+are|\s+was|\s+were)?\s+"
    # not the form references take ("What format do our invoice numbers use?": "Format is `RPA-YYYY-NNN`")
    r"(?!(?:[\w.'’-]+\s+){0,6}?(?:format|pattern|scheme|convention|template)s?\b)(?:[\w.'’-]+\s+){0,6}?(?:" + _REFERENCE_NOUN
    # a vehicle's registration is its number plate's reference: "the van's registration"
    + r"|(?:van|car|truck|lorry|vehicle|trailer|motorbike|camper|motorhome|caravan)(?:['’]s)?\s+(?:registration|reg)\b(?!\s+(?:date|renewal|fee|tax|due))"
    # and the number written on a card, a plate or a certificate is the reference it carries ("the
    # number on the Marlowe House registration card": "Tom's on 555-0133" is a number to ring)
    + r"|numbers?\s+(?:on|off)\s+(?:the|my|our|your|his|her|their|its|[\w.-]+['’]s)\s+(?:[\w.'’-]+\s+){0,3}?"
    r"(?:card|plate|certificate|cert|licen[cs]e|badge|tag|label|sticker|permit|disc)s?\b)", re.I)
REFERENCE_NUMBER = re.compile(r"(?<![\w£$€¥@./:,-])(?=[A-Za-z0-9/-]*\d)[A-Za-z0-9][A-Za-z0-9/-]*[A-Za-z0-9](?![\w@-]|[.,]\d)")
# No reference: a year or a date ("2025-26"), a figure with its ending ("3rd", "20min"), a name with a
# figure ("Q3") or hours open ("Mon-Sat 7am-5pm")
NOT_A_REFERENCE = re.compile(r"(?:19|20)\d\d(?:[-/]\d{1,2}){0,2}|\d+(?:st|nd|rd|th|[a-z]{1,3})|[A-Za-z]+\d|\d{1,2}(?:am|pm)?-\d{1,2}(?:am|pm)", re.I)


def says_reference(text: str) -> bool:
    """Whether the text writes a reference (REFERENCE_ASKED): four or more letters and figures."""
    return any(len(m.group().replace("-", "").replace("/", "")) >= 4 and not NOT_A_REFERENCE.fullmatch(m.group()) for m in REFERENCE_NUMBER.finditer(text))


# A reference's name right before its figures: "reg. no. 555 0912", "ref: 0113 496", "Acct # 4402 1187"
REFERENCE_LABEL = re.compile(r"(?:\bno|\bnum|\bnumber|\bref|\breg|\bacct|\baccount|#)\.?\s*[:#]?\s*$", re.I)


def without_phone_numbers(text: str) -> str:
    """The text with each number in a phone number's shape blanked, one to ring and no reference: "Her son
    Graham deals with anything big - 555-0139." gives no serial number of her stove, "Regional rep:
    Colin Bainbridge, 555-0183" no member number. Not figures a reference's name stands before ("reg.
    no. 555 0912") nor the tail of a longer one ("CLS-25-07781")."""
    def blank(m: re.Match) -> str:
        if m.start() and text[m.start() - 1] in "-/" or REFERENCE_LABEL.search(text[max(0, m.start() - 16):m.start()]):
            return m.group(0)
        return " " * len(m.group(0))
    return SHOWN_BY_SHAPE["phone"].sub(blank, text)


# "What's the gate code?", "what is the key safe code at the hall?", "the code for the yard gate": the
# figures typed to get in, which a sentence about the code ("New gate code since the 3rd, it's in
# [[sites]]", "KEY SAFE CODE CHANGED today") does not give. Read from what the question asks, not from
# any mention of a code: "Who do I ring if the alarm code fails?" asks for a person.
_ACCESS_NOUN = r"(?:gate|door|alarm|safe|padlock|lock|keypad|entry|access|lockbox|keybox|shed|garage|entrance)"
ACCESS_ASKED = re.compile(
    r"\b(?:what|which)(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+(?:[\w'’-]+\s+){0,4}?(?:" + _ACCESS_NOUN + r"\s+(?:code|pin|combination)s?\b"
    r"|(?:code|pin|combination)\s+(?:for|to|on|of)\s+the\s+(?:[\w'’-]+\s+){0,3}?" + _ACCESS_NOUN + r"s?\b)", re.I)
# What is typed at a keypad: three to eight figures, with the # or * some pads end or start with
# ("4471#", "*1966", "0614"); not part of a date, a time, a price or a decimal ("**2063**" keeps
# a bold mark, which the comparison with the question strips).
ACCESS_CODE = re.compile(r"(?<![\w.,/:£$€-])[#*]?\d{3,8}[#*]?(?![\w/:-]|[.,]\d)")
# A year said as one ("3 Aug 2026", "since 2019"), which no code is.
YEAR_SAID = re.compile(r"\b(?:(?:" + SHORT_MONTH + r"|may)[a-z]*\.?|in|since|from|until|till|by|of)\s+(?:1[6-9]|20)\d\d\b", re.I)


# How a refusal names a kind asked for, where "a <kind>" does not read
KIND_SAID = {"todo": "something still to do", "email": "an email address", "phone": "a phone number", "reference": "a reference number",
             "access code": "an access code"}


# "What did the moisture meter actually read on the wet oak?": what a gauge showed is a figure ("Metered it
# Thursday morning: way over." gives none)
GAUGE_READ = (r"\bwhat did (?:the |my |our )?(?:[\w-]+ ){0,2}?(?:meter|gauge|scales?|thermometer|tester|probe|hygrometer|barometer|odometer"
              r"|multimeter|sensor) (?:actually |really )?(?:read|say|show|measure|register)\b")
# "What does the chipper actually weigh?": a weight, a figure in its unit ("we're over on the train
# weight, I checked at the weighbridge in 2024" gives none, nor "(if we get one)")
WEIGHT_ASKED = r"\bwhat (?:does|do|did|will|would) (?:[\w'’-]+ ){1,4}?(?:actually |really |roughly |about )?weigh\b"
WEIGHT = re.compile(rf"(?:\d|\b(?:{NUMBER_WORDS}|a)\b)[\d,.]*\s*-?(?:kg|kilos?|kilogram(?:me)?s?|t|tonnes?|tons?|lbs?|pounds?|st|stones?|g|grams?|oz|ounces?|cwt)\b", re.I)
# "Which unit number is my lock-up at Ferrow Park?", "what room number is she in?": the number a place
# is known by
PLACE_NUMBER_ASKED = (r"\b(?:what|which)(?:'s| is| was)?(?: the| my| our| her| his| their)? (?:[\w'’-]+ )?(?:unit|flat|room|house|plot|pitch|locker"
                      r"|seat|table|bay|stall|berth|apartment|suite|desk|cabin|garage|lock-up|lockup|box|peg|platform|gate|stand) (?:number|no)\b")
# "What was the florist called at Lottie and Dan's wedding?": a person's or a thing's name asked by what it
# was called, not a name of code ("what is the field called", "what's that function called now?"), which
# a kind of its own reads
_CODE_NOUNS = "field variable function option method setting command package principle parameter class file flag property key hook argument"
CALLED_ASKED = (r"\b(?:what|who)(?:'s|’s| is| was| were| are)\s+(?:the|my|our|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?"
                + "".join(f"(?<!{noun} )" for noun in _CODE_NOUNS.split()) + r"(?:called|named)\b")  # one look-behind a noun: each is of fixed width
KINDS = [
    # "What's Leonie's email address?" asks for an address ("l.strand@castlegate.example"): her phone
    # number and extension say how else to reach her, not that
    ("email", EMAIL_ASKED),
    # and "What's Dev's phone number?" for a phone number: his email answers how else to reach him
    ("phone", PHONE_ASKED),
    # and "What's the policy number?" for a reference, not an amount ("Policy doc: Home policy 2025-26.pdf")
    ("reference", REFERENCE_ASKED),
    # "What's the key safe code?" asks for the figures that open it
    ("access code", ACCESS_ASKED),
    # "What's left to do before race day?" asks for what is not done yet (a box not ticked)
    ("todo", REMAINING_ASKED),
    # "What does GPT stand for?" asks for the words its letters stand for, not what GPT does
    ("full form", STANDS_FOR),
    # "What time does the 10k start?" asks for a time of day ("9:30", "7pm"), not a day or a season
    ("time", re.compile(r"\bwhat time\b(?!\s+(?:zones?|periods?|frames?|limits?|complexity|budget|steps?|series|stamps?|formats?|of (?:the )?(?:year|day|month|week)))", re.I)),
    # "when is my dentist appointment?", "when is Anna's birthday?", "when is the service due?" ask for a
    # date; "When is the 'listening' event emitted?", "When is fine-tuning considered?" for a condition
    ("date", re.compile(r"^\s*(and\s+)?when (did|was|were)\b|\b(what|which) (year|date|month|decade)\b|\bhow long ago\b|\bsince when\b"
                        r"|^\s*(and\s+)?when (is|are) (?:my|our|your|his|her|their|\w+['’]s)\b|^\s*(and\s+)?when (is|are)\b[^?]*\bdue\b"
                        # and a date asked for by its name: "When is the publication date for The Year of
                        # Tides?", "what's the marking deadline?" (the sentence that names the book gives none)
                        r"|\b(?:what|when)(?:'s|’s| is| are| was| were)?(?: the| my| our| your| his| her| their)? (?:[\w.'’-]+ ){0,2}?(?:date|deadline)s?\b"
                        r"(?! (?:format|range|picker|type|field|string|object|column|function|command|library|class|method)s?\b)", re.I)),
    # a setting's value ("the default value of fetch-timeout", "what values should I set"), not what
    # something is worth ("what is the value of RAG?")
    # ("what is the default `maxOldGenerationSizeMb` heap limit?": a setting named in code)
    ("value", re.compile(r"\bwhat(?:'s| is| are| was)?(?: the)? (?:default|recommended|initial|right|correct|best|possible|valid|allowed|accepted) values?\b|\bwhat values\b|\bwhat value (?:should|does|do|is|can|must)\b"
                         r"|\bwhat(?:'s| is| are| was)? the default (?:[\w.-]+ ){0,2}?(?:`[^`]+`|(?-i:[a-z]+[A-Z]\w*)|\w+_\w+)", re.I)),
    # "how large language models work" names the models, and asks no size; "what's my new salary?" asks
    # for a figure ("Ros will confirm salary in writing" gives none), "what is the cost of ...?" a price,
    # "what uptime % should we aim for?" a share, and a measure named ("what torque do the bolts get?") its
    # figure ("Torque value is from the manual PDF" gives none), and so does a limit ("what depth limit
    # applies by default?": "A `queryDepth` of `6` would allow this query" is an example's)
    ("number", re.compile(r"\bhow (many|much|long|big|large|small|fast|often|old)\b(?! language models?\b)|\bwhat(?:'s| is| are| was)?(?: the)? ([\w.'’-]+ ){0,2}?(percentage|percent|number|size|amount|ratio|" + VERSION_ASKED + r"|length|duration|temperature|temp|pressure|torque|voltage|wattage|weight|speed|gap|clearance|limit|limits)\b|\bwhat(?:'s| is| are| was)?(?: the)? (?:[\w.-]+ ){0,2}?%|\bwhich ([\w.-]+ ){0,2}?" + VERSION_ASKED + r"\b|\b(?:what|which) (?:[\w.-]+ ){0,2}?(?:exit|status|return) codes?\b|\bhow many\b"
                          r"|" + MONEY_ASKED + "|" + BILLED + "|" + TIME_TAKEN_ASKED + "|" + WAIT_ASKED + "|" + PLACE_NUMBER_ASKED + "|" + GAUGE_READ + "|" + WEIGHT_ASKED, re.I)),
    # "What's Len the market manager's *surname*?" asks for a name that is not Len ("paid cash to Len" gives none)
    ("name", re.compile(r"^\s*(who|whom|whose)\b|" + CALLED_ASKED + "|" + WHICH_THING.pattern + r"|\bwhich (company|companies|person|people|team|lab|university|organi[sz]ation|paper)\b|\b(title|name) of\b|\bwho (made|created|invented|wrote|developed|built)\b"
                        r"|\b(?:surname|(?:first|last|full|family|maiden|middle|given) name)s?\b", re.I)),
    # "What are the *key* milestones?": after "are" a key is what matters most, not a key pressed; so is
    # "the key difference", and "the key safe code" is a key safe's (the nouns "key" qualifies, listed)
    ("command", re.compile(r"\b(which|what)('?s| is| are)? (the )?(command|flag|option|setting|(?<!\bare the )(?<!\bare )key(?!\s+(?:safe|code|card|fob|ring|holder|differences?|takeaways?|points?|findings?|facts?|ideas?|concepts?|terms?|features?|benefits?|factors?|issues?|questions?|parts?|roles?|steps?|components?|principles?|lessons?|metrics?|dates?|people|person|players?|areas?|themes?|risks?|skills?|messages?|insights?|advantages?|challenges?|changes?|decisions?|milestones?)\b)|(?<=\bare the )key(?=\s+(?:bindings|mappings|combos|combinations|shortcuts)\b)|shortcut|keybinding|function|method|syntax|variable|environment variable|config)\b|\bwhat do i (type|run)\b|\b(which|what)(?:'?s| is| are)?(?: the)? ([\w.-]+ ){1,2}(command|flag|option|shortcut|keybinding)s?\b", re.I)),
    ("list", re.compile(rf"^\s*(list|name)\b|\bwhat are (the |some )?(({NUMBER_WORDS}|\d+) )?(main |key |different |common |various |several )?[\w-]*\s*(areas|types|kinds|examples|ways|steps|stages|parts|components|categories|applications|uses|benefits|risks|challenges|principles|options|features|techniques|strategies|models|tools|reasons|limitations|advantages|disadvantages|arguments|requirements|conditions|rules|criteria|guidelines|factors|considerations|prerequisites|responsibilities|goals|priorities)\b|\b(which|what) (areas|types|kinds|steps|ways|tools|models)\b", re.I)),
]

# The kinds that ask for one thing (a date, a figure, a name, an address, a reference), which a
# sentence anywhere may give: not a way, a list or what is still to do (Pipeline's empty headings).
ONE_THING = frozenset({"date", "time", "number", "name", "value", "full form", "email", "phone", "reference", "access code"})


@dataclass
class Focus:
    head: list[str]  # the noun the question asks about (HEAD), when it has one
    words: list[str]  # the question's content words that name its topic (ASKING removed)
    weights: dict[str, float]  # word -> weight: rarer in this collection = heavier
    required: list[str]  # names, code tokens, quoted terms, numbers: each must be covered
    kind: str | None  # "number", "date", "name", "command", "list", "email" ... (KINDS) or None
    relatives: dict[str, list[str]] = field(default_factory=dict)  # a word the notes never use -> their words of its family
    identifiers: set[str] = field(default_factory=set)  # required terms that are names of code (IDENTIFIER), lower-cased
    bound: str = ""  # the limit the question asks for ("maximum", BOUND_ASKED), as typed
    commands: list[str] = field(default_factory=list)  # commands the notes write in backticks that it types (Vocabulary.commands)
    glued: dict[str, list[str]] = field(default_factory=dict)  # a required term -> it run together with a word beside it, as typed
    operation: str = ""  # the operation a how-to question asks to do (OPERATIONS), as typed
    other: str = ""  # the value the question asks for one other than ("besides `auto`", OTHER_THAN), as typed
    acted_on: list[str] = field(default_factory=list)  # the noun a how-to question asks to act on, then those after its "of" and "and" (ACTED_ON)
    asked: list[str] = field(default_factory=list)  # the nouns of the phrase asked for (HEAD), before the notes' words pick `head` from them
    capitals: set[str] = field(default_factory=set)  # required terms typed capitalised inside a sentence (names: "Windows"), lower-cased

    def found(self, word: str, words: set[str]) -> bool:
        """Whether `words` hold the focus word, a form of it, or a word of its family."""
        return word in words or any(same_word(word, x) for x in words) or any(r in words for r in self.relatives.get(word, ()))

    def describe(self) -> str:
        return ", ".join(self.required or self.words)

    def glued_in(self, term: str, text_lower: str) -> bool:
        """Whether the text writes the term run together with its neighbour in the question: a name
        typed apart ("ONNX Runtime", "Power Apps") is the same name written as one (`onnxruntime-genai`)."""
        return any(re.search(r"(?<![a-z0-9])" + re.escape(j) + r"(?![a-z0-9])", text_lower) for j in self.glued.get(term, ()))


@dataclass
class Evidence:
    support: object  # the grounding.Support of the note sentence
    coverage: float  # weighted share of the focus its sentence + heading path + file name covers
    missing: list[str]  # required terms it does not cover
    has_kind: bool  # holds the kind of answer asked for
    score: float  # similarity + coverage_weight x coverage: what the threshold compares
    order: float | None = None  # score + its section's standing in retrieval: what ranks the answering sentences
    says: dict = field(default_factory=dict)  # focus word -> weight, of those the sentence says and its place (heading path, file name) does not
    named_before: bool = False  # a name asked for is said by the sentence before it, not by it or its place: quoted with that one

    def __post_init__(self):
        if self.order is None:
            self.order = self.score


@dataclass
class Decision:
    answerable: bool
    reason: str | None  # why the notes cannot answer; None when they can
    focus: Focus
    evidence: list[Evidence] = field(default_factory=list)  # sentences that answer, best first
    best: Evidence | None = None  # the best candidate, answering or not (for explaining a refusal)
    threshold: float = 0.0


# A command in backticks: a program and its subcommands, no options or values ("pip cache remove",
# "git stash pop"; not "pip install -e .", not `which python` read as "which python versions").
COMMAND_SPAN = re.compile(r"`((?!(?:which|what|the|a|an|and|or|if|is|to|in|of|for)\b)[a-z][\w.-]*(?: [a-z][\w-]*){1,3})`")


# A command typed after a shell prompt, up to its first option or value: "$ vercel env pull".
PROMPT_COMMAND = re.compile(r"^\s*[$❯]\s+([a-z][\w.-]*(?: [a-z][\w-]*){1,3})", re.M)
# Verbs that name a subcommand: "vercel env *add*" beside the notes' `vercel env pull`; not a value the
# asker passes ("npm install express").
SUBCOMMAND = frozenset(
    """add remove rm delete del list ls show get set unset pull push fetch create new init install uninstall update upgrade
    downgrade run start stop restart kill prune purge clean clear edit info inspect status enable disable apply drop pop
    rename move mv copy cp import export login logout link unlink pin unpin sync reset rollback deploy build test publish""".split()
)


# A how-to question that asks to do one operation to a thing ("how do I *remove* an asdf plugin?") is
# answered by a section that names that operation in one of the words notes use for it; a note that
# shows another operation on the same thing ("Update asdf Plugins With Latest Package Versions") does not
# say how. Only the operations of this closed list count: a verb of many senses ("make", "stop", "turn",
# "run", "see", "write", "move"), or one that only says a setting changes ("set", "format", "filter"),
# names none, and each group holds the words and phrases notes use alike. "configure" and "customize"
# do name one: a note that shows how says "config", "configure" or "configuration" (dev halves: 4 near
# misses asking to configure or customize refused, no answerable question among the 2 asking it lost;
# "you must specify a dictionary in the configuration file" says how to configure Redis Sentinel). Capping or
# limiting something is shown by a limit, a maximum or a throttle, in a name of code too (`max_tokens`):
# over all question sets, the 4 sections that answer "how do I cap / limit ...?" say one and none of
# the 4 that near misses of it were answered from does (dev halves: 1 more near miss refused, none lost).
OPERATIONS = [g.split(",") for g in (
    "remove,delete,rm,uninstall,erase,purge,unset,clear,wipe,discard,destroy,prune,drop,get rid of,got rid of,clean up",
    "list,ls,show,display,view,enumerate", "add,create,insert,append,register,init,initialize,generate",
    "update,upgrade,refresh", "rename", "copy,cp,duplicate,clone", "import,load", "export,dump,save",
    "download,fetch,pull", "upload,push,publish,deploy", "undo,revert,reset,rollback,roll back,restore",
    "disable,turn off,switch off", "enable,turn on,switch on", "expand", "count", "sort", "shard",
    "pin,freeze,hold,lock", "exclude,skip,ignore,omit", "flush,drain", "fold,collapse", "retry", "rerun,re-run",
    "schedule", "redirect", "rotate", "trust", "sample", "compact", "customize,customise,configure,configuration,config,tweak",
    "limit,cap,restrict,throttle,max,maximum,at most",
)]
OPERATION_OF = {word: group for group in OPERATIONS for word in group}
HOW_TO_VERB = r"\b(?:how (?:do|can|could|would|should) (?:i|you|we)|how to|(?:a |the )?way to|can i|i want to|i need to)\s+"  # then the verb
# the verb with the words that make it a phrase of a group, as the groups write them: "roll back",
# "turn off", "get rid of", "clean up"
PARTICLES_OF_GROUPS = sorted({words.split(" ", 1)[1] for group in OPERATIONS for words in group if " " in words}, key=len, reverse=True)
ASKED_OPERATION = re.compile(HOW_TO_VERB + r"(?:\w+ly\s+)?([a-z]+(?:\s+(?:" + "|".join(p.replace(" ", r"\s+") for p in PARTICLES_OF_GROUPS) + r"))?)\b", re.I)
# A question typed as an order, its verb first: "rerun only the failed jobs ... using the gh cli"
IMPERATIVE = re.compile(r"^\s*([a-z]+)\s+(?!me\b|out\b)", re.I)


# What a how-to question asks to act on: "how do I delete *an annotated git tag*", "lower *the bcrypt
# cost* for has_secure_password", "set up *rewrites* in next.config.js", "make console.log prefix
# *every line*". Its noun (the phrase's last; with "of" or "and", the noun after it may name the
# thing instead: "a chunk of code", "harmful text and images") is named by a section that shows how;
# a note on the same tool that never names it ("Clean Up Old Remote Tracking References", "Define URL
# Redirects In The Next Config") shows another task. A verb of many senses ("make a pull request",
# "get them printed") leaves no object to read, nor does a clause ("set *which* editor"). Dev halves:
# 11 near misses refused, 1 answerable question refused and 1 answered from another note; report
# halves: 7 near misses refused, 5 answerable questions refused (eval/README.md, seventeenth round).
ACTED_ON = re.compile(
    HOW_TO_VERB + r"(?:(?:\w+ly|just|also|even|still|really|then|actually)\s+)?"
    r"(?:(?:make|get|let)\s+(?!(?:it|them|this|that|a|an|the|my|your|our|its|their|every|all|each|just|me|us|rid|started|back|up|out|going|sure|there|to)\b)[\w.'’-]+\s+(?:to\s+)?(?:\w+ly\s+)?(?![a-z]+(?:tion|sion|ment|ness|ity)\b))?"
    r"(?P<verb>[a-z]+)(?:\s+(?:up|out|off|back|down|over|rid of|in|on))?\s+"
    r"(?:(?:only|just|also)\s+)?(?:(?:a|an|the|my|your|our|this|that|these|those|all|some|every|each|its|their)\s+)?"
    r"(?P<phrase>(?!(?:which|what|how|where|whether|if|when|why|who)\b)(?:[\w.`'’-]+\s+){0,4}?[\w.`'’-]+?)"
    r"(?=\s+(?:of|in|on|for|from|to|into|with|without|by|at|so|when|while|if|as|after|before|using|via|that|which|back|locally|instead"
    r"|and|or|but|than|unless|i|we|you|they|it|right|away|now|again|automatically|directly|anyway|alone|according|depending|based|regardless)\b|\s*[?,!]|\.(?!\w)|\s*$)"
    r"(?:\s+of\s+(?:(?:a|an|the|my|your|our|this|that|all|some)\s+)?(?P<of>[\w.-]+))?"
    r"(?:\s+(?:and|or)\s+(?:(?:a|an|the|my|your|our|this|that|all|some)\s+)?(?P<also>[\w.-]+))?",
    re.I,
)
MANY_SENSES = frozenset("make get have let see tell use run go do be keep find put give take handle deal try".split())
# What a verb is done with or against, not to: "how do i protect *against* that?" acts on what "that"
# points to, and names no noun (the prepositions STOPWORDS leaves in).
PREPOSITIONS = frozenset("against across around within toward towards upon among along onto via per beyond despite beside besides".split())


def acted_on(question: str, vocabulary: "Vocabulary") -> list[str]:
    """The noun a how-to question asks to act on, and the nouns after its "of" and "and": words
    the notes use, spelt as they do, and no name of code (a section may call `setTimeout` "the timer").
    A word the notes never use is one too, when it is no slip of a word of theirs and no word of a
    family they use (Vocabulary.relatives): notes that never say "seed" show no way to set one, though
    "seed" is an ordinary word (unheard_terms lets it pass as a paraphrase)."""
    m = ACTED_ON.search(question)
    if not m or m["verb"].lower() in MANY_SENSES:
        return []
    nouns = [w for w in content_words(m["phrase"]) if w not in KIND_WORDS and w not in ASKING and w not in PREPOSITIONS and not QUANTITY.fullmatch(w)][-1:]
    nouns += content_words(m["of"] or "")[:1] + content_words(m["also"] or "")[:1]
    if not nouns or vocabulary.misspelt(nouns[0]) or nouns[0] in vocabulary.code_names or vocabulary.subject(nouns[0]):
        return []
    if not vocabulary.knows(nouns[0]) and not never_used(nouns[0], vocabulary):
        return []
    return nouns


def never_used(word: str, vocabulary: "Vocabulary") -> bool:
    """Whether a word the notes do not use is none of theirs in another spelling: a word of letters,
    not two letters swapped from one of theirs ("mdoe", "lcok"), nor a function word mistyped
    ("somthing"), nor one of a family they use (Vocabulary.relatives: "scientific" of "science")."""
    return (word.isalpha() and not any(vocabulary.knows(w) for w in swaps(word))
            and not any(len(w) >= 4 and w in STOPWORDS for w in one_edit(word)) and not vocabulary.relatives(word))


# Verbs that have the thing asked about do the operation ("make rsync delete", "get vim to fold"),
# and how many words on that operation may stand
CAUSES = frozenset("make get have let tell".split())
CAUSED_WITHIN = 4
WORD_AFTER = re.compile(r"[\w'-]+")


def operation_asked(question: str) -> str:
    """The operation a how-to question asks to do (OPERATIONS), as typed; "" for none. An order to
    list or show ("List the main application areas of generative AI.") asks the notes for a list,
    not how to list something."""
    m = ASKED_OPERATION.search(question)
    if m is None and (m := IMPERATIVE.match(question)) and m.group(1).lower() in OPERATION_OF["list"]:
        return ""
    if m is None:
        return ""
    typed = _operation_typed(m.group(1))
    verb = m.group(1).split()[0].lower()
    if verb in CAUSES and not typed:
        # "how do i make rsync *delete* files ...", "get vim to *fold* code": the operation is what the
        # tool is made to do, a few words on
        words = [w.lower() for w in WORD_AFTER.findall(question, m.end(1))]
        for k in range(1, min(len(words), CAUSED_WITHIN)):
            # "get vim *to* fold", "make rsync delete"; not the noun of "make a pull request", "get the list of"
            if words[k - 1] in ("a", "an", "the") or (verb in ("get", "tell") and words[k - 1] != "to"):
                continue
            if operation := _operation_typed(" ".join(words[k:k + 3])):
                return operation
    return typed


def _operation_typed(typed: str) -> str:
    """The operation the words as typed start with, the verb with its particle when its group holds
    the phrase ("roll back", "get rid of"; "set up" is of none, nor "set"); "" for none."""
    words = typed.lower().split()
    return next((" ".join(words[:n]) for n in range(len(words), 0, -1) if " ".join(words[:n]) in OPERATION_OF), "")


def names_operation(operation: str, text: str) -> bool:
    """Whether the text names the operation in any word of its group, inflected ("removing", "deleted",
    "uninstalls", "rolled back"), a name of code's words included (`max_tokens`, `removeListener`)."""
    return bool(_operation_pattern(operation).search(CODE_WORD_BREAK.sub(" ", text)))


CODE_WORD_BREAK = re.compile(r"_|(?<=[a-z])(?=[A-Z])")  # between the words of a name in snake_case or camelCase


@functools.lru_cache(maxsize=None)
def _operation_pattern(operation: str) -> re.Pattern:
    """Each word of the operation's group inflected: a long one less a final "e" or "y", then up to
    four letters ("sav" + "ing", "retri" + "es"); a short one with its ending ("pinned", "added"); rm,
    ls, cp as written."""
    def inflected(word):
        if word in ("rm", "ls", "cp", "of", "up"):
            return re.escape(word)
        if len(word) <= 3:
            return re.escape(word) + r"(?:s|\w?(?:ed|ing))?"
        if word.endswith("y"):  # "retries", "copied"
            return re.escape(word[:-1]) + r"[yi]\w{0,4}"
        return re.escape(word[:-1] if word.endswith("e") else word) + r"\w{0,4}"
    forms = [r"\s+".join(inflected(w) for w in words.split()) for words in OPERATION_OF[operation]]
    return re.compile(r"(?<![\w-])(?:" + "|".join(forms) + r")(?![\w-])", re.I)


WRITTEN_SHORT: dict[str, list[str]] = {}  # a word -> its short forms (SHORT_FORMS read backwards): "average" -> ["avg"]
for _short, _word in SHORT_FORMS.items():
    WRITTEN_SHORT.setdefault(_word, []).append(_short)


class Vocabulary:
    """Document frequencies of the collection's words (chunk text + heading path + file name)."""

    def __init__(self, documents: list[str], places: list[tuple[str, tuple]] = (), embed=None, relative_cosine: float = 1.0, common_share: float = 1.0,
                 subject_share: float = 1.0, subject_min_chunks: int = 0):
        self.count, self.common_share = len(documents), common_share
        self.subject_share, self.subject_min_chunks = subject_share, subject_min_chunks
        self.embed, self.relative_cosine, self._relatives = embed, relative_cosine, {}
        self._apart: dict[str, bool] = {}  # written_apart's answers, a search of the texts each
        self._parts: dict[str, bool] = {}  # written_as_part's, the same
        # `places`: (file, heading path) of each document. A note of one section is about one thing:
        # what its first line names, its last line is about too.
        sections: dict[str, set] = {}
        for file, section in places:
            sections.setdefault(file, set()).add(tuple(section))
        self.one_section = {f for f, s in sections.items() if len(s) == 1}
        self.notes = len(sections)
        self.df = Counter(w for text in documents for w in set(content_words(text)))
        joined = "\n".join(documents)
        self._text = joined.lower()
        # words the notes write in lower case somewhere: common words, not only names (respelled)
        self.lowercase = set(re.findall(r"(?<![\w-])[a-z]{5,}(?![\w-])", joined))
        self.folders = topic_folders(self.df, [file for file, _ in places])
        for word, count in list(self.df.items()):  # "re-open" is also written "reopen", "e-mail" "email"
            if "-" in word and (squashed := word.replace("-", "")).isalnum():
                self.df[squashed] = max(self.df[squashed], count)
        self.words = set(self.df)
        # commands the notes write in backticks or after a shell prompt, of three or four words (`pip
        # cache remove`, `git stash pop`, "$ vercel env pull"), by their first word: a question that
        # types one, unquoted, asks about that command and not its sibling (`pip cache purge`). Two
        # words ("npm install") are as often the question's setting as its subject ("which lock file
        # drives npm install?").
        self.commands: dict[str, set[str]] = {}
        spans = set(m for text in documents for m in COMMAND_SPAN.findall(text) + PROMPT_COMMAND.findall(text))
        for span in spans:
            words = span.lower().split()
            for n in range(3, len(words) + 1):  # `pip cache remove setuptools` also writes `pip cache remove`
                self.commands.setdefault(words[0], set()).add(" ".join(words[:n]))
        # names of code the notes write in backticks, in mixed case (`Jinja2Templates`, `TestClient`): a
        # question that types one without backticks names the class its section documents
        self.code_names = {m.lower() for text in documents for m in CODE_NAME_SPAN.findall(text)}
        self._by_prefix: dict[str, list[str]] = {}
        for w in self.words:
            self._by_prefix.setdefault(w[:3], []).append(w)

    def weight(self, word: str) -> float:
        """Inverse document frequency, smoothed; a word the notes never use gets the largest."""
        df = self.df.get(word)
        if df is None:
            df = self.chunks_with(word)
        return math.log((self.count + 1) / (df + 0.5))

    def chunks_with(self, word: str) -> int:
        """In how many chunks the notes use the word, in its commonest form ("level" for "levels")."""
        near = [w for w in self._by_prefix.get(word[:3], []) if same_word(word, w)] if len(word) >= 5 else []
        return max([self.df.get(word, 0)] + [self.df[w] for w in near])

    def knows(self, word: str) -> bool:
        # a word the notes write short is theirs: "average" where they write "cadence avg 171"
        return (word in self.words or (len(word) >= 5 and any(same_word(word, w) for w in self._by_prefix.get(word[:3], [])))
                or any(short in self.words for short in WRITTEN_SHORT.get(word, ())))

    def written_apart(self, word: str) -> bool:
        """Whether the notes write the word as two ("file system" for "filesystem"). Only words the
        notes never use come here, and each is searched for in the texts once (remembered)."""
        if not word.isalpha():
            return False
        if word not in self._apart:
            self._apart[word] = any(
                word[:i] in self.words and word[i:] in self.words and re.search(rf"\b{word[:i]}[\s-]+{word[i:]}\b", self._text)
                for i in range(3, len(word) - 2))
        return self._apart[word]

    def written_as_part(self, word: str) -> bool:
        """Whether the notes write the word as a part of a name joined by dashes ("xdist" of
        "pytest-xdist", "fastapi" of "griffe-fastapi"). Searched for once a word (remembered)."""
        if not word.isalnum():
            return False
        if word not in self._parts:
            self._parts[word] = bool(re.search(rf"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)*-{word}(?![\w-])|(?<![\w-]){word}(?:-[a-z0-9]+)+(?![\w-])", self._text))
        return self._parts[word]

    def writes_clipped(self, word: str) -> bool:
        """Whether the notes write the word cut short ("masc" for "masculine"; clipped), searched among
        their words of its first three letters."""
        return clipped(word, self._by_prefix.get(word[:3], ()))

    def never_writes(self, word: str, relatives: dict) -> bool:
        """Whether the word, of five letters or more, is none the notes use: no form of a word of
        theirs, no word of a family of theirs (`relatives`, Focus.relatives), no slip of one, not two of
        theirs run together, no part of a name of theirs joined by dashes (unheard_terms; Decider.decide's
        words of the thing asked for)."""
        return (len(word) >= 5 and not self.knows(word) and word not in relatives and not self.misspelt(word)
                and not self.written_apart(word) and not self.written_as_part(word))

    def writes_whole(self, term: str) -> bool:
        """Whether the notes write the term (a name of code: "jest/unbound-method") with no letter,
        figure, dash or underscore joined to either end. Found by plain search, its ends read after: a
        pattern with a look-behind is tried at every place of the text, 15 ms over TIL's notes."""
        term, text = term.lower(), self._text
        at = text.find(term)
        while at >= 0:
            before, after = text[at - 1: at] or " ", text[at + len(term): at + len(term) + 1] or " "
            if not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-"):
                return True
            at = text.find(term, at + 1)
        return False

    def writes_parts(self, word: str) -> bool:
        """Whether the notes write the word's runs of letters and of figures in order, together or
        apart by a space, dot, dash or underscore: "gpt4" as "GPT-4", "python3" as "Python 3". A word
        of theirs needs no search of the texts ("dalle3" is their "DALL-E-3" run together)."""
        if word in self.words:
            return True
        parts = re.findall(r"[a-z]+|\d+", word)
        return bool(re.search(r"(?<![a-z0-9])" + r"[\s._-]?".join(map(re.escape, parts)) + r"(?![a-z0-9])", self._text))

    def common(self, term: str) -> bool:
        """Whether the notes use the term in `common_share` of their chunks or more: "GitHub" over
        Node.js's contributor guides (one chunk in five) is the setting of every section, named where
        the section starts, not beside each sentence of it."""
        return self.df.get(term, 0) >= self.common_share * self.count

    def subject(self, term: str) -> bool:
        """Whether the notes use the term in `subject_share` of their chunks or more: "pino" over
        pino's documentation is what all of them are about, so a question that names it ("the risk of
        copytruncate for Pino log files") is answered by a section that never says it. Not in fewer
        than `subject_min_chunks` chunks: there half the chunks is a note or two, not the collection."""
        return self.count >= self.subject_min_chunks and self.df.get(term, 0) >= self.subject_share * self.count

    def member(self, term: str) -> str | None:
        """What a name qualified by the notes' subject names: "destination" for `pino.destination` in
        pino's docs ("For Lambda deployments, it's recommended to always use a destination with
        `sync: true`"), and "--check" for `black --check` in Black's, whose section on it is headed
        `--check`; None for any other term."""
        parts = re.fullmatch(r"([\w-]+)[. ](\S.*)", term)
        return parts.group(2) if parts and self.subject(parts.group(1)) else None

    def misspelt(self, word: str) -> bool:
        """Whether the word is one letter away from a word of five letters or more that the notes use
        in two chunks or more: "acess" for "access". A name the notes never use is not ("redis" is one
        letter from a "reis" used once, "mtime" from "time")."""
        return len(word) >= 5 and word.isalpha() and any(len(w) >= 5 and self.df.get(w, 0) >= 2 for w in one_edit(word))

    def respelled(self, question: str, whole_word=None) -> str:
        """The question with each word of it that the notes never use, and that a slip of the keys
        makes of a word they do use, written as they write it: "How do I configure Redis Sentinal?" is
        searched and judged as "... Redis Sentinel?", whose word the notes and their vectors know. A
        slip keeps the first letter: two letters swapped ("directroy"), one left out of a word of six
        letters or more ("recomend"), one mistyped or one too many in a word of seven or more
        ("sentinal", "Ledgerley" for their "Ledgerly", "oxallic"). Kept as
        typed: a word the embedder's tokenizer knows whole (`whole_word`: "sample" is no slip of
        "simple"), a short word a letter more or other makes another of ("shard", "cython": not
        "shared", "python"), words of code (in backticks, joined by dots, dashes or underscores,
        camelCase) unless a slip of one makes a name of code the notes write, forms of the notes' words, and a word one letter from a name the notes only write
        capitalised ("Marta", their "Martha"). Of two spellings, the one more chunks use."""

        def spelled(match: re.Match) -> str:
            typed = match.group(0)
            word = typed.lower()
            if len(word) < 5 or word in self.df or set(content_words(word)) & self.words or whole_word is not None and whole_word(word):
                return typed  # theirs, a form of theirs ("workers" of their "worker"), or a word of its own
            near = [w for w in slips_of(word) if w[0] == word[0] and self.df.get(w, 0) >= 2 and w in self.lowercase]
            if not near:  # a name the notes write ("Marta" beside their "Martha") may be another person's
                return typed
            best = max(near, key=lambda w: (self.df[w], w))
            return best.capitalize() if typed[0].isupper() else best

        def spelled_code(match: re.Match) -> str:
            # a name of code the notes never write, a word of which a slip (as above) makes a name they
            # write whole: "jest/unbound-mehtod" is their "jest/unbound-method", whose page says which
            # plugin it needs. Not a name that no slip of one of its words makes one of theirs, nor one
            # that two of theirs are each a slip from.
            typed = match.group(0)
            pieces = re.split(r"([-/._])", typed)
            # a word of it the notes never use, first: most names are made of theirs
            unknown = [i for i, piece in enumerate(pieces) if len(piece) >= 4 and piece.isalpha() and piece.lower() not in self.words]
            if not unknown or self.writes_whole(typed):
                return typed
            found = set()
            for i in unknown:
                word = pieces[i].lower()
                for slip in slips_of(word) & self.words:
                    term = "".join(pieces[:i] + [slip.capitalize() if pieces[i][0].isupper() else slip] + pieces[i + 1:])
                    if slip[0] == word[0] and self.writes_whole(term):
                        found.add(term)
            return found.pop() if len(found) == 1 else typed

        parts = re.split(r"(`[^`]*`)", question)  # code spans kept as typed
        return "".join(CODE_TERM.sub(spelled_code, part) if part.startswith("`") else TYPED_WORD.sub(spelled, CODE_TERM.sub(spelled_code, part))
                       for part in parts)

    def relatives(self, word: str) -> list[str]:
        """The notes' words of the same family as a word they never use, which no rule of word forms
        joins: "science" for "scientific". Candidates share its first four letters; the embedder
        confirms them (cosine >= relative_cosine: "scientific"/"science" 0.88, where "tomato"/"potato"
        is 0.59). Remembered per word."""
        if self.embed is None or len(word) < 5 or not word.isalpha() or self.knows(word):
            return []
        if word not in self._relatives:
            candidates = sorted(w for w in self._by_prefix.get(word[:3], []) if w[:4] == word[:4] and w.isalpha())[:MAX_RELATIVE_CANDIDATES]
            found = []
            if candidates:
                vectors = self.embed([word] + candidates)
                found = [c for c, v in zip(candidates, vectors[1:]) if float(vectors[0] @ v) >= self.relative_cosine]
            self._relatives[word] = found
        return self._relatives[word]


# A word as typed in prose, not a part of code: "Sentinal", "recomend"; not "getSetCookie", "pytest-xdist"
TYPED_WORD = re.compile(r"(?<![\w.\-/@$`'’])[A-Za-z][a-z]+(?![\w\-/@(`]|\.\w)")
# A name of code of words joined by dashes, slashes, dots or underscores: "jest/unbound-method",
# "init.defaultBranch", "max_tokens"; not a word in prose, which TYPED_WORD reads
CODE_TERM = re.compile(r"(?<![\w./@$-])[A-Za-z][A-Za-z0-9]*(?:[-/._][A-Za-z0-9]+)+(?![\w/-]|\.\w)")
MAX_RELATIVE_CANDIDATES = 64  # one embedding call of at most this many words per unknown word


def topic_folders(df: Counter, files: list[str]) -> set[str]:
    """The notes' folders that name a topic ("kitty/", "jj/", "mysql/"): a question that names one asks
    about it. A folder named by an everyday word is no topic: most of the chunks that use "go", "bash",
    "html" or "shell" stand outside go/, bash/, html/ or shell/; most of those that use "mysql" stand in
    mysql/. `df`: in how many chunks (their file path included) each word stands, `files`: each chunk's file."""
    inside: Counter = Counter()
    for file in files:
        if "/" in file:
            inside[file.split("/")[0].lower()] += 1
    topics = set()
    for folder, count in inside.items():
        word = content_words(folder)
        if len(word) != 1 or word[0] in ASKING:
            continue
        if count >= df[word[0]] / 2:  # its own chunks say it in their path
            topics.add(folder)
    return topics


# asked first, or after the asker's situation: "way too many requests hit my server while the user
# types, how do i limit how often my function gets called?" asks for a way, not a rate; so does one
# after a label and a colon ("different question: how can i see how much ram is used ...?")
HOW_TO = re.compile(r"(?:^|[,;:.!?]\s|\bso\s)\s*(how (do|can|could|should|would|to)\b|i want\b|i need\b)", re.I)


# "What are GANs good at?", "what is the transformer used for?": a question about a thing's uses,
# which a sentence about it may give wherever it stands
USE_ASKED = re.compile(r"\b(?:good|great|best|useful|used|handy)\s+(?:at|for)\b|\bwhat\b.*\b(?:uses|use cases)\b", re.I)
# "can I stop pnpm from installing ...?" asks, yes or no, for a way to; "can you explain ...?" does not
WAY = re.compile(r"\b(how (do|can|could|should|would|might) (i|we|you|one)\b|how to\b|\bi (want|need) to\b|(is there|any|a|another|the) (way|command)\b|is there (?:a|an|any|some) (?:[\w-]+ ){0,2}?(?:trick|option|flag|setting|shortcut|method)\b|(?:^|[,.?]\s*)(?:can|could) (?:i|we)\b)", re.I)
QUESTION_WORD = re.compile(r"^\s*(what|which|who|whom|whose|when|where|why|how|is|are|was|were|am|do|does|did|can|could|should|would|will|has|have|had|may|might|must|shall)\b", re.I)


# A question that asks why, or what something is, does or means, asks for an explanation: a line of a
# code listing shows the thing in use ("assert.ifError(err);", "} else {") and explains nothing.
EXPLAINS = re.compile(
    r"(?:^|[,;]\s*)why\b|^\s*what (?:does|do|did) .+ (?:do|mean|stand for)\s*\??\s*$|^\s*what(?:'s| is| are) (?:a |an |the )?[^,;?]{1,60}\?\s*$",
    re.I,
)


def explains_only(question: str, focus: Focus) -> bool:
    """Whether only prose can answer: the question asks for an explanation (EXPLAINS), not a way, a
    command, a value or a figure."""
    return bool(EXPLAINS.search(question)) and focus.kind is None and not WAY.search(question)


# What numbers a note of a series after its topic: "Clear The Screen In psql (2)", "Reversing A List Part 2".
PART_OF_SERIES = re.compile(r"\s*(?:\(\d{1,2}\)|[,:-]?\s*\(?part\s+\d+\)?)\s*$", re.I)


# A question that asks two things, the second after "and" ("What is the default height of Vim's
# quickfix window, and what command opens it with a height of 5 lines?"): where the second begins.
SECOND_ASK = re.compile(r"(?:,|\?)\s*and\s+(?=(?:what|which|how|where|when|who|does|do|is|are|can)\b)|\s+and\s+(?=(?:what|which|how many|how much)\b)", re.I)


def second_ask(question: str) -> str | None:
    """The second thing a question asks, when it asks two ("..., and how many expert modules?"), else None."""
    parts = SECOND_ASK.split(question, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 and QUESTION_WORD.search(parts[0].lstrip(" ,.;:")) and parts[1].strip() else None


def asks_for_a_way(question: str, focus: Focus) -> bool:
    """Whether the question asks how to do something: "how do I ...", "is there a way ...", "which
    command ...", or a request typed without a question word ("cross compile my go program for
    32-bit linux"). Its answer is usually a command the note shows."""
    return focus.kind == "command" or bool(WAY.search(question)) or not QUESTION_WORD.search(question)


def asks_for_code(question: str, focus: Focus) -> bool:
    """Whether the answer shows a line of code of its section: the question asks for a way
    (asks_for_a_way), or for a flag, variable, method, ... by name ("Which psql variable holds the row
    count?", ASKED_CODE_NOUN)."""
    return asks_for_a_way(question, focus) or bool(ASKED_CODE_NOUN.search(question))


def question_kind(question: str) -> str | None:
    """What the question asks for. "How do I see how long each query takes?" asks for a way, not a number."""
    for kind, pattern in KINDS:
        if kind in ("number", "date", "time") and HOW_TO.search(question):
            continue
        if kind == "number" and ASKS_WHICH.search(question):  # "Which parameter controls how many tokens ...?" asks for the parameter
            continue
        if pattern.search(question):
            return kind
    return None


# A question that opens by asking which thing, before any "how many" inside it.
ASKS_WHICH = re.compile(r"^\s*(?:which|what)\s+(?!is\b|are\b|was\b|were\b|'s\b)(?:[\w'’.-]+\s+){1,3}?(?:\w+[^s\W]s)\s+how (?:many|much)\b", re.I)


# The arguments of a call the question writes: "reply.redirect(301, '/new-route')".
ARGUMENTS = re.compile(r"(?<=[\w$])\(([^()]+)\)")


def without_arguments(question: str) -> str:
    """The question with the arguments of each call it writes blanked: the values it passes are the
    asker's own ('/new-route', 301), the notes document the call. A call in `backticks` is quoted as
    the notes may write it, and kept whole."""
    parts = re.split(r"(`[^`]*`)", question)
    return "".join(p if p.startswith("`") else ARGUMENTS.sub(lambda m: "(" + " " * len(m.group(1)) + ")", p) for p in parts)


# A clause that tells before a comma and a question word asks: "..., how do i ...", "..., what ...".
# ("..., why?" asks about what it told, and "If I don't set `resourceLimits`, what ...?" sets a condition)
SETTING_THEN_ASKED = re.compile(r"^([^?]*?),\s*(?=(?:so\s+|but\s+|and\s+)?(?:how|what|which|where|when|is there|can i|should i|do i)\b)", re.I)
# A condition set before the question (SETTING_THEN_ASKED): what follows it asks as a question alone
# would. Only a condition: after another setting ("In TaskWeaver, what file format ...", "deno script
# using readTextFile won't run, which permission flag ...") dev halves lost five right answers (four
# wrong ones became refusals) and refused no near miss more; after a condition, three near misses were
# refused and one right answer lost.
CONDITION_FIRST = re.compile(r"\s*(?:if|when|whenever|once)\b", re.I)
FIRST_PERSON = re.compile(r"^\s*(?:i|i'm|i've|my|we|our)\b", re.I)
ASKERS_VALUE = re.compile(r"(?<![\w.-])v?\d+(?:\.\d+)*(?:\.x)?(?![\w.-])")  # 3.4, 3.2, v20, 3.2.x


# Where a question's sentences part; kept by split: sentence, space, sentence, ...
SENTENCE_BREAK = re.compile(r"((?<=[.?!])\s+)")
# and a dash before the words that ask: "... I don't want to get burnt again - when am I supposed to hand
# the certificates over?" tells a story, then asks (asking_part)
TOLD_DASH = re.compile(r"^[\s\-–—]+")  # the spaces and the dash before the words that ask, once asking_part has blanked the story
TOLD_BREAK = re.compile(r"((?<=[.?!])\s+|\s[-–—]\s+(?=(?:what|when|where|which|who|whom|whose|how|why)\b))", re.I)


def asks_apart(pieces: list[str]) -> bool:
    """Whether a question split at SENTENCE_BREAK has several sentences, one of them asking ("?") in
    words of its own: "Brightwell's form wants our gas MPRN. What is it?" asks about the MPRN the
    sentence before names, and is read whole."""
    sentences = [p for p in pieces[::2] if p.strip()]
    asking = [p for p in sentences if p.rstrip().endswith("?")]
    return len(sentences) >= 2 and bool(asking) and any(w not in ASKING for p in asking for w in content_words(p))


def asking_part(question: str) -> str:
    """The question with each sentence that does not ask blanked, when one does: "why is request.body
    undefined in my onRequest hook?? the POST definitely has a json body" asks about onRequest; the POST
    is the asker's own setting. A name there is no term the answer must cover (its words still weigh in
    the coverage, and a name the notes never use is still unheard). Blanked with spaces, so positions hold."""
    pieces = TOLD_BREAK.split(question)
    if not asks_apart(pieces):
        # one sentence that opens by telling the asker's setting, then asks: its numbers are the asker's
        # values ("i set ruby 3.4 as my global version in asdf but ruby --version still shows 3.2, how do
        # i find which file is setting it"); its names stay what is asked about ("my logs go missing
        # in aws lambda while im using pino.destination ..., what should i change?")
        told = SETTING_THEN_ASKED.match(question)
        if told and FIRST_PERSON.search(told.group(1)):
            return ASKERS_VALUE.sub(lambda m: " " * len(m.group(0)), told.group(1)) + question[len(told.group(1)):]
        return question
    return "".join(p if k % 2 or p.rstrip().endswith("?") else " " * len(p) for k, p in enumerate(pieces))


# A question that asks only "what is it?" of a thing the words before it name (focus_of; "... for
# another event - what is it?" after a dash as after a full stop), and the
# phrases those words name things by: after a determiner or a possessive, up to a preposition or the
# sentence's end ("our *VAT registration number* on the Quillfield invoice", "Mum's *NHS number*")
PRONOUN_ASKED = re.compile(r"(?:^|[.!?,;]\s*|\s[-–—]\s+)(?:so\s+|and\s+)?(?:what|which)(?:'s|’s|\s+is|\s+was)\s+(?:it|that)(?:\s+again|\s+now)?\s*\??\s*$", re.I)
DETERMINED_PHRASE = re.compile(
    r"\b(?:(?:our|my|your|his|her|their|its|the)\s+|\w+['’]s\s+)((?:[\w-]+\s+){0,3}?[\w-]+)"
    r"(?=\s+(?:on|in|for|to|from|at|of|with|by|before|after|so|over)\b|\s*[.,;!?]|\s*$)", re.I)
MANNER = re.compile(r"\b(?:over|on|by|via)\s+the\s+(?:phone|telephone)$", re.I)  # a way of telling, not a thing asked for


def asked_clause(question: str) -> str | None:
    """Only what the question asks, when it first tells the asker's setting: "user text renders all
    clumped together in my erb view, how do i keep the line breaks?" -> "how do i keep the line
    breaks?"; None when the whole question asks."""
    pieces = SENTENCE_BREAK.split(question)
    asked = None
    if asks_apart(pieces):
        asked = " ".join(p for p in pieces[::2] if p.rstrip().endswith("?"))
    elif told := SETTING_THEN_ASKED.match(question):
        asked = question[told.end(1):].lstrip(" ,")
    return asked if asked and asked != question and len(content_words(asked)) >= 2 else None


# "reverse" or "inverse" before the noun it turns round, after an article: "a reverse DNS lookup", "the
# inverse transform"; not the verb ("how do I reverse a list").
REVERSED = re.compile(r"\b(?:a|an|the)\s+(reverse|inverse)\s+(?=[a-z])", re.I)
# "install it *with npm* instead of yarn", "save screenshots *as jpg* instead of png": the thing wanted
# is what an answer names; a section that shows the one set aside ("yarn add --dev ...") does not
WANTED_INSTEAD = re.compile(r"\b(?:with|as|to|in|into|using|via|through)\s+(?:(?:a|an|the|my|our)\s+)?(?:[\w.+-]+\s+)?([\w.+-]+)\s+instead\s+of\b", re.I)


# A decade typed by its last two figures ("the 90s", "the '80s"): the notes write "the 1990s". After
# "the" or an apostrophe only: "a timeout of 30s" is seconds.
SHORT_DECADE = re.compile(r"(?:(?<=\bthe )|(?<![\w'’])['’])([2-9]0)s\b", re.I)


# "what was wrong with it?", "what's gone wrong?" ask for a fault (focus_of)
WRONG_ASKED = re.compile(r"\bwhat(?:'s|’s|\s+is|\s+was|\s+were|\s+went|\s+goes|\s+has\s+gone|\s+had\s+gone)?\s+wrong\b", re.I)


def focus_of(question: str, vocabulary: Vocabulary | None = None) -> Focus:
    # read without accents, as the notes' words are (content_words): "Brückwald" is one name, "bruckwald",
    # not the "Br" a capital's run of plain letters would take from it
    question = plain_letters(question)
    # weighed as the notes write it, not demanded: notes that say "the 90s" too must still cover it
    # "What was wrong with it?" asks for the fault, which the notes name without "wrong": no topic, no noun asked
    fault = {"wrong"} if WRONG_ASKED.search(question) else set()
    words = [w for w in dict.fromkeys(content_words(SHORT_DECADE.sub(r"19\1s", question))) if w not in ASKING and w not in fault]
    required = []
    asking = asking_part(question)  # the sentences that ask, the others blanked
    told_first = asking != question  # a sentence that does not ask comes before or after the one that does
    named = singular_acronyms(without_arguments(asking))  # nothing from inside a call's parentheses; "vCPUs" is "vCPU"
    for m in CODE.finditer(named):
        token = (m.group(1) or m.group(2)).strip()
        if len(token) > 1 and not token.endswith("."):
            required.append(token.lower())
    # a path from the root ("/etc/shells") is kept whole, its slash with it (_covers)
    required = [("/" + t if re.search(r"(?<![\w.~])/" + re.escape(t) + r"(?![\w/])", named, re.I) else t) for t in required]
    required += [(a or b).lower() for a, b in QUOTED.findall(named) if (a or b).strip()]
    # "non-Brotli" is about what is not Brotli: the note names Brotli (and says "zlib-based") or not
    required += [re.sub(r"^non-", "", w.lower()) for w in COMPOUND.findall(TYPED_WHERE.sub(" ", named))]
    # "a *reverse* DNS lookup" is the other way round from the note's lookup: an answer says "reverse"
    required += [m.group(1).lower() for m in REVERSED.finditer(named)]
    required += [m.group(1).lower() for m in WANTED_INSTEAD.finditer(named)]
    # an acronym that says which kind of the thing asked for is meant ("Which *HTTP* method ...?", "What
    # Azure *CLI* command ...?") is answered by the thing itself (GET, `az group create`), not by its name
    kind_of_asked = {m.start(1): m.group(1).lower() for m in KIND_OF_ASKED.finditer(named)}
    capitals = set()
    for m in CAPITAL.finditer(named):
        word = m.group(1)
        at_start = not named[: m.start()].strip() or re.search(r"[.?!:]\s*$", named[: m.start()])
        if at_start or word.lower() in ("i", "i'm") or not content_words(word) or m.start() in kind_of_asked:
            continue
        required.append(word.lower())
        if word[1:].islower():  # "Windows", not "VS" or "EDITOR": an acronym may be spelt out ("Visual Studio")
            capitals.add(word.lower())
    commands = []
    if vocabulary is not None:
        lowered = " " + re.sub(r"\s+", " ", question.lower()) + " "
        typed_words = sorted(set(re.findall(r"[a-z][\w.-]*", lowered)) & vocabulary.commands.keys())  # the programs it may type
        for first in typed_words:
            for command in vocabulary.commands[first]:
                if re.search(r"(?<![\w`-])" + re.escape(command) + r"(?![\w-])", lowered):
                    commands.append(command)
        commands = [c for c in commands if not any(c != o and o.startswith(c + " ") for o in commands)]  # the longest one typed
        # a sibling the notes never show, typed after the group they show ("with vercel env add?" over
        # notes that show `vercel env pull`): a command no section shows, so none answers
        for first in typed_words:
            for group in {" ".join(c.split()[:2]) for c in vocabulary.commands[first]}:
                for typed in re.finditer(r"(?<![\w`-])" + re.escape(group) + r" ([a-z]+)(?![\w-])", lowered):
                    command = group + " " + typed.group(1)
                    if typed.group(1) in SUBCOMMAND and command not in vocabulary.commands[first] and command not in commands:
                        commands.append(command)
    if vocabulary is not None and vocabulary.folders:
        asked = set(re.findall(r"[\w.+-]+", question.lower()))
        asked |= {re.sub(r"\d+$", "", w) for w in asked}  # "the sqlite3 shell" names sqlite/
        required += [f for f in sorted(vocabulary.folders) if f in asked]
    if vocabulary is not None and (version_of := VERSION_OF.search(named)):
        thing = (version_of["thing"] or version_of["of"]).lower()
        if (content_words(thing) and thing not in WHICH_VERSION and thing not in KIND_WORDS and thing not in ASKING
                and vocabulary.knows(thing) and not vocabulary.subject(thing)):
            required.append(thing)
    required += [m.group(1) for m in YEAR.finditer(named)]
    required += [f"{count}-{noun.lower()}" for count, noun in COUNTED_NOUN.findall(named)]
    required = list(dict.fromkeys(r for r in required if content_words(r) or NUMBER.fullmatch(r) or FLAG.fullmatch(r)))
    relatives = {w: found for w in words if vocabulary is not None and (found := vocabulary.relatives(w))}
    # a word known by its family weighs what its commonest relative does
    weights = {w: (min(map(vocabulary.weight, relatives.get(w, [w]))) if vocabulary else 1.0) for w in words}
    # and when only a later sentence asks ("The digital pitch meter is dead. What battery does it take?"),
    # what it asks for, as that sentence alone would ask it (asking_part), before what the whole question
    # reads as: "Graham wants to order a spare part for his mum's Brantfell - what's the *serial number*
    # on her stove?" asks for a reference, not for any number; the dash it is told after is no word of it
    kind = (question_kind(TOLD_DASH.sub("", asking)) if told_first else None) or question_kind(question)
    if kind is None and (it := PRONOUN_ASKED.search(question)):
        # "The audiology form wants Mum's NHS number. What is it?": "it" is a thing the words before
        # name, the one whose name says what kind of answer it is (a number here, not "the form")
        for phrase in reversed(list(DETERMINED_PHRASE.finditer(question[:it.start()]))):
            if MANNER.search(question[:phrase.end()]):  # "wants the van's registration over the phone": how it is told
                continue
            # (with its owner, when the phrase alone names no kind: "the van's registration" is its plate's)
            if kind := question_kind(f"What is {phrase.group(1)}?") or question_kind(f"What is {phrase.group(0)}?"):
                break
    # how it is asked, no topic: "stand for", "short for"; "still", "left"; "what did the machine *set us back*"
    asking_words = set(ASKING_OF_KIND.get(kind, ()))
    if set_back := re.search(SET_BACK, question, re.I):
        asking_words.update(content_words(set_back.group(0)))
    if asking_words:
        words = [w for w in words if w not in asking_words]
        weights = {w: weights[w] for w in words}
    head = []
    asked_phrase: list[str] = []

    def nouns_of(phrase: str) -> list[str]:  # the words of a phrase asked for that may name its noun
        return [w for w in content_words(phrase) if w not in KIND_WORDS and w not in ASKING and not QUANTITY.fullmatch(w)
                and not any(w in r for r in required) and w not in kind_of_asked.values() and w not in fault]

    # the noun a phrase names: the last of its nouns that the notes use or that is no slip of a word of
    # theirs (an asker's word they lack, "hotel", still names one)
    def noun_named(phrase: str) -> list[str]:
        return [w for w in nouns_of(phrase) if vocabulary.knows(w) or not vocabulary.misspelt(w)][-1:]

    # a question asked inside what someone wants to know ("Pellow Marine want to know what size
    # propeller is on the new engine ...") asks what the inner question asks
    # so does one asked after the condition it sets ("If we decide to sell Kittiwake Row, how much *notice*
    # do we have to give Priya and Tom?")
    match = (HEAD.search(question) or (told_first and HEAD.search(asking)) or ((told := WANTS_TO_KNOW.match(question)) and HEAD.match(question[told.end():]))
             or (CONDITION_FIRST.match(question) and (setting := SETTING_THEN_ASKED.match(question)) and HEAD.match(question[setting.end():]))
             or CONTACT_ASKED.search(question) or DONE_BY_ASKED.match(question))
    if match:
        phrase = match["phrase"].split()
        if len(phrase) >= 2 and phrase[-2].lower() in KIND_WORDS and re.fullmatch(r"[a-z]+[^s\W]s", phrase[-1]):
            phrase = phrase[:-1]  # "Which key *goes* to the previous match?": the kind asked for, then its verb
        if vocabulary is not None:  # "the *quickest* way": a superlative qualifies the noun, and is no topic
            phrase = [w for w in phrase if not superlative(w.lower(), vocabulary)]
        if phrase and vocabulary is not None and re.fullmatch(r"[a-z]{3,}ed", phrase[-1]) and any(len(b) >= 3 and b in vocabulary.words for b in stems(phrase[-1])):
            phrase = []  # "What are the students *asked* to do?": a verb done to the subject, and what is asked is its object
        if len(phrase) == 1 and not match["copula"] and re.fullmatch(r"[a-z]{4,}ed", phrase[0], re.I):
            phrase = []  # "What *happened* in 2014?", "what *changed* after ...": a verb whose subject is "what"
        if len(phrase) >= 3 and phrase[-1].lower() in PARTICLES and phrase[-2].lower() in IRREGULAR_PAST:
            phrase = phrase[:-1]  # "what architecture *came out* in 2017?": the verb with its particle
        if len(phrase) >= 2 and phrase[-1].lower() in IRREGULAR_PAST:
            phrase = phrase[:-1]  # "what models *came* from transformers?": the noun, then its verb
        if match["copula"] and len(phrase) >= 2 and re.fullmatch(r"[a-z]{3,}ing", phrase[-1]) and re.fullmatch(r"[A-Z][\w-]*", phrase[-2]):
            # "Who was Mary Varcombe *working* for in 1901?": a name, then what it was doing; what is asked
            # is who it was done for (not "Quayside Physio's opening hours", a noun's modifier)
            phrase = []
        if phrase and phrase[-1].lower() in ("way", "ways"):  # "a *nice* way to look at a csv": the words before say how the way is, not what it is of
            phrase = phrase[-1:]
        head = nouns_of(TYPED_WHERE.sub(" ", " ".join(phrase)))
        if re.search(r"\bthan\b", question, re.I):  # "how much cheaper is X than Y": a comparison, not a noun
            head = [w for w in head if not w.endswith("er")]
        head = [w for w in head if w not in COMPARATIVE]
        asked_phrase = list(head)  # every noun of the phrase, before the notes' words choose the one asked for
        if vocabulary is not None:
            # "which *port* ...?" asks to name one: notes that never use the word name none ("ollama run
            # phi3.5" says no port); "what is the *risk* of ...?" may be answered in other words
            lead = (match["lead"] or "").strip().lower()
            # and "who is the *publisher* of ...?" asks for whoever holds that role: notes that never name
            # the role name no one in it ("Hester hated the ending" is no publisher)
            picks = (match["asker"].lower() in ("which", "what") and not match["copula"] and lead in ("", "and", "so")
                     or match["asker"].lower() == "who" and bool(match["copula"]))
            head = [w for w in head if vocabulary.knows(w) or (picks and not vocabulary.misspelt(w))]
        head = head[-1:]  # the noun is the last word: "which *programming* languages" asks for languages
        if vocabulary is not None:
            # and a measure the notes never write ("what was the water *temperature*?", "the stack
            # *height*") is said by its unit, "12 °C", as over notes of a few words (Decider.focus):
            # asked for beside the noun the notes do write
            head += [w for w in asked_phrase if w in SHOWN_BY_SHAPE and not vocabulary.knows(w) and w not in head]
        if vocabulary is not None and not head and (name_of := NAME_OF.search(question)):
            # "What's the name of the *hotel* I'm staying at?": a name the notes give to a hotel, which
            # "a student hostel near the venue" is not
            thing = name_of["thing"].split()
            # up to a clause about it: "the therapist *Mum saw*", "the first chatbot *built* in the 1960s"
            ends = [k for k in range(1, len(thing)) if thing[k].lower() in IRREGULAR_PAST or re.fullmatch(r"[a-z]{3,}ed", thing[k])
                    or thing[k][0].isupper() and thing[k - 1][0].islower() and k + 1 < len(thing) and thing[k + 1][0].islower()]
            thing = thing[: ends[0]] if ends else thing
            head = noun_named(" ".join(thing))
            asked_phrase += [w for w in head if w not in asked_phrase]
        if vocabulary is not None and (measured := MEASURED_OF.search(question) or NUMBER_OF.search(question)):
            # "How many grams of *ginger* go in the dal?": the amount of ginger, which "250 g red
            # lentils" in the dal's list is not
            thing = noun_named(measured["thing"])
            head += [w for w in thing if w not in head]
            asked_phrase += [w for w in thing if w not in asked_phrase]
        if kind in ASKING_OF_KIND:
            head = []  # "what's *left* to do": what is not done yet is asked for, no noun; "what's GPT *short* for?" neither
    # asked by its name with nothing after it but a sentence that does not ask ("Who's the club
    # treasurer? I want to check my renewal payment arrived.")
    elif vocabulary is not None and (owned := OWNED_ASKED.match(asking.strip())):
        # "What are Quayside Physio's opening hours?" asks for hours: "Physio: Gareth Imrie, Quayside
        # Physio, 5 Harbour Steps" names the place, not when it opens
        head = [w for w in nouns_of(owned["phrase"]) if vocabulary.knows(w)][-1:]
    elif vocabulary is not None and (role := ROLE_ASKED.match(asking.strip())):
        # "Who's the HillSoc social secretary?" asks for whoever holds that role: notes that never name
        # the role ("| President | Rhiannon Gallow |") name no one in it, as HEAD's "who is the publisher"
        head = noun_named(role["phrase"])
    elif vocabulary is not None and (there := THERE_ASKED.match(asking.strip())) and there["phrase"].split()[-1].lower() not in ("way", "ways"):
        # "Is there a dress *code* for the awards night?" asks whether there is such a thing: the
        # awards night's date in the calendar names none ("is there a *way* to ..." asks how, no thing)
        head = noun_named(there["phrase"])
    elif vocabulary is not None and (brought := BROUGHT_IN_ASKED.search(question)):
        # "do we pay the landlord a *service charge*? How much is it?" asks for that charge: the rent's
        # deposit in the lease table is no service charge, as THERE_ASKED's "is there a dress code"
        head = noun_named(brought["phrase"])
    elif vocabulary is not None and (event := EVENT_ASKED.match(question)):
        # "When is Noor's *birthday*?" asks for the day of that: "Passports (Noor's expires Feb 2027)" dates another thing
        head = [w for w in content_words(event["event"]) if vocabulary.knows(w)]
    identifiers = {(a or b).lower() for a, b in IDENTIFIER.findall(named)} & set(required)
    glued: dict[str, list[str]] = {}
    typed = [w.lower() for w in re.findall(r"[A-Za-z][\w.+-]*", named)]
    for a, b in zip(typed, typed[1:]):
        for t in {a, b}.intersection(required):
            glued.setdefault(t, []).append(a + b)
    bound = BOUND_ASKED.search(question)
    other = OTHER_THAN.search(question) if not WAY.search(question) else None  # "how do I ... on a port other than 3000?" asks for a way
    if other and names_its_pick(question, other):
        other = None  # "my ipv4 address ... instead of ipv6" asks for the one it names, not for a third
    return Focus(head, words, weights, required, kind, relatives, identifiers, bound.group(0) if bound else "", commands, glued,
                 operation_asked(asking), other.group(1) if other else "",
                 acted_on(asking, vocabulary) if vocabulary is not None else [], asked_phrase, capitals)


# "Which *command-line* option ...?" says where the option is typed, as "CLI" would: `-vv` answers it.
TYPED_WHERE = re.compile(r"\bcommand-line(?=\s+(?:option|flag|argument|switch|parameter)s?\b)", re.I)
# An acronym right before the kind of thing a question asks for: "Which *HTTP* method", "What Azure *CLI* command".
KIND_OF_ASKED = re.compile(r"\b(?i:what|which)\s+(?:[A-Z][\w.-]*\s+)?([A-Z]{2,5})\s+(?:command|method|flag|option|setting|variable|function|header|status|key|syntax)s?\b")


def superlative(word: str, vocabulary: Vocabulary) -> bool:
    """Whether the word is the superlative of an adjective the notes use: "quickest", "easiest",
    "biggest", "safest" (not "test", "request" or "manifest", whose stems are no words)."""
    if not word.endswith("est") or len(word) < 6:
        return False
    stem = word[:-3]
    return any(len(s) >= 3 and s in vocabulary.words for s in (stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else "", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""))


VERSION = re.compile(r"\d\.\d+$")  # a term ending in a version number of two or more parts ("4.2", "node18.4")


def _covers(term: str, text_lower: str, text_words: set[str], text: str = "") -> bool:
    """Whether the text (lower-cased, its content words; `text` as written, when given) covers the term."""
    text_lower = plain_letters(text_lower)  # "bruckwald" asked, as the focus reads it, is the note's "Brückwald"
    if term.startswith("/"):  # a path from the root is covered as written, never by its words ("/etc/shells" by "/etc/passwd" and "shell")
        return bool(re.search(r"(?<![\w.-])" + re.escape(term) + r"(?![\w/-])", text_lower))
    if term.startswith("-"):  # a flag (--safe-updates) is covered as written, never by its words
        if re.search(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", text_lower):
            return True
        # a one-letter flag is the long option of its letter, as command-line tools name them: `git add -p`
        # is the note's `git add --patch`
        return len(term) == 2 and term[1].isalpha() and bool(re.search(r"(?<![\w-])--" + term[1] + r"[a-z][\w-]*", text_lower))
    if "-" in term and not re.search(r"\d", term):  # "fine-tuning" is covered by "fine tuning" and "fine-tune"
        flat = re.sub(r"[-\s]+", " ", text_lower.replace("`", ""))  # "`pipx`-installed" is "pipx-installed"
        joined = [a + "-" + b for a, b in zip(flat.split(), flat.split()[1:])]
        if term.replace("-", " ") in flat or any(same_word(term, w) for w in list(text_words) + joined):
            return True
        # an abbreviated compound: "gen-AI" is covered by "generative AI" (each part starts a word, in order)
        parts = term.split("-")
        if re.search(r"\b" + r"\w*\s+".join(map(re.escape, parts)) + r"\w*", flat):
            return True
        # a count written in words is written in figures too, as COUNTED_NOUN reads them: "four-tier" by "| 4 tier |"
        if len(parts) == 2 and parts[0] in COUNT_WORDS and re.search(r"(?<![\w.])" + COUNT_WORDS[parts[0]] + r"\s?-?\s?" + re.escape(parts[1][:3]), text_lower):
            return True
        # a compound that opens a name of code written in CamelCase: "in-memory" by `InMemoryBroker`
        if re.search(r"(?<![A-Za-z])(?i:" + re.escape("".join(parts)) + r")(?:e?s)?(?![a-z])", text or text_lower):
            return True
        # a compound of three words or more written by its initials: "learn-to-row" by "LTR graduates"
        return len(parts) >= 3 and all(parts) and bool(re.search(r"(?<![\w-])" + "".join(p[0] for p in parts) + r"s?(?![\w-])", text_lower))
    if counted := COUNTED_NOUN.fullmatch(term):  # "10-lesson" by "10 lessons", "45-minute" by "45 min"
        return bool(re.search(r"(?<![\w.])" + counted[1] + r"\s?-?\s?" + re.escape(counted[2][:3]), text_lower))
    if re.search(r"(?<![\w])" + re.escape(term) + r"(?=s?\b)(?![.-]\d)", text_lower):  # "gpt-3" is not in "gpt-3.5"
        return True
    if VERSION.search(term) and re.search(r"(?<![\w.])" + re.escape(term) + r"(?:\.0)+(?![.\d])", text_lower):
        return True  # a version typed short is the same version: "Devise 4.2+" is the note's "Devise 4.2.0+"
    if NUMBER.fullmatch(term) or re.search(r"\d", term):
        return False
    if FILE_NAME.fullmatch(term) and re.search(r"\b" + re.escape(term.rsplit(".", 1)[0]) + r"\s+files?\b", text_lower):
        return True  # a file named as the notes call it: `requirements.txt` is "the requirements file"
    if len(term) >= 8 and re.search(r"[._/]", term) and any(same_word(term, t) for t in re.findall(r"[\w.$/-]+", text_lower) if abs(len(t) - len(term)) <= 1):
        return True  # a long name of code typed with a slip: "gemfile.lcok" for Gemfile.lock
    if "." in term:  # a name is written without its dots in a folder or file name: "Next.js" and nextjs/
        squashed = term.replace(".", "")
        if re.search(r"(?<![\w])" + re.escape(squashed) + r"(?![\w])", re.sub(r"(?<=\w)\.(?=\w)", "", text_lower)):
            return True
        # a method called on the user's own object ("response.formData()") is the note's member (`.formData()`)
        member = re.fullmatch(r"[a-z_$][\w$]*\.([a-z_$][\w$]*)(?:\(\))?", term)
        if member and len(member.group(1)) >= 4 and re.search(r"(?<![\w.])\." + re.escape(member.group(1)) + r"\b", text_lower):
            return True
    if "_" in term:  # a name in snake_case ("allow_connections") is covered by its words side by side, in order
        # ("max tokens" for `max_tokens`), not by each standing anywhere ("... allows you to ... connections")
        words = [w for w in re.split(r"_+", term) if w]
        return bool(words) and bool(re.search(r"\b" + r"[\s_-]+".join(re.escape(w) + r"\w{0,3}" for w in words) + r"\b", text_lower))
    if term in ERROR_NOUNS and ERROR_NAME.search(text_lower):
        return True  # "which exception does it raise?" is answered by the name of one: `NoMatchingPatternError`
    parts = content_words(term)
    if parts and all(p in text_words or any(same_word(p, w) for w in text_words) for p in parts):
        return True
    # a word cut short with a dot, the sentence going on after it, covers it: "reg. no. 555 0912" gives a
    # registration number, "approx. 40 min" an approximate time (not "... Sent the reg. Then ...")
    if term.isalpha() and any(len(term) > len(c) and term.startswith(c.lower()) for c in CUT_SHORT.findall(text)):
        return True
    # an acronym is covered where the notes spell it out, each word capitalised: "VS Code" by "Visual
    # Studio Code", "LTS" by "Long Term Support"
    return bool(text) and term.isalpha() and 2 <= len(term) <= 5 and bool(re.search(r"(?<!\w)" + r"[a-z]+[\s-]+".join(term.upper()) + r"[a-z]+", text))


EMPHASIS_MARK = re.compile(r"[_*]+")  # a name's emphasis, "_Project Diagnostics_", is no letter of it
CUT_SHORT = re.compile(r"(?<![\w.])([A-Za-z]{3,})\.(?=[ \t]*[a-z0-9(])")  # "reg. no.", "approx. 40": a dot the sentence goes on after
ERROR_NOUNS = frozenset({"error", "errors", "exception", "exceptions"})
ERROR_NAME = re.compile(r"\b\w{2,}(?:error|exception)s?\b")  # TypeError, NoMatchingPatternError, IOException (lower-cased)


PRICE_ASKED = re.compile(r"\bhow much\b.*\b(cost|costs|charge|charges|pay|price|rent|fee|fees|salary|wage)\b|" + BILLED + "|" + MONEY_ASKED, re.I)
# a price, or a table's column of them ("| Item | £/month |", "| Cost (£) |" above "| Rent | 870 |"), or
# a share of money charged over time or of a sum ("interest at 1.5% per month", "25% of quoted fee");
# "free" costs nothing ("Carol does drivers free"), unless it says when someone or something is to be had
# ("the only one with a big coach free that weekend", "free on Tuesday")
PRICE = re.compile(r"[$€£¥]\s?\d|\d\s?(?:usd|eur|gbp|dollars?|cents?|euros?|pounds?)\b|\bfree\b(?!\s+(?:that|this|next|on|at|from|until|till|up|time|slots?|space|weekend|evenings?|mornings?|afternoons?|days?)\b)|\bno cost\b|^\|.*(?:[$€£¥]\s?/|\([$€£¥]\)).*\|\s*$"
                   r"|\d\s?%\s*(?:per|a|an|each|of)\b", re.I | re.M)
SUM = re.compile(r"[$€£¥]\s?\d[\d,.]*(?:k\b)?|\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|cents?|euros?|pounds?)\b", re.I)  # a sum of money, all its figures
# A quantity asked for by what it measures ("What *temperature* do I bake it at?", "how much *weight*",
# "what *spacing*") is said by a figure in its unit ("**Oven:** 170 °C fan.", "cloves 15 cm apart"),
# without the word; a figure in no such unit does not say it (an LLM's "temperature" of 0.7 is written
# with the word).
_LENGTH = r"\d\s*(?:mm|cm|m|km|masl|metres?|meters?|centimet(?:re|er)s?|millimet(?:re|er)s?|kilomet(?:re|er)s?|inch(?:es)?|ft|feet|foot|miles?|yards?)\b|\d\s*(?:\"|″)"
# "How long ...?" asked outright (not "how do I see how long each query takes", not "how long ago"),
# "how much time ...?" and a time named by what takes it ("What's the *baking time* for the
# traybake?"): each asks for a stretch of time, which "Baking powder 2 tsp" does not give
LONG_ASKED = re.compile(r"(?:^|[,;:]|\b(?:and|so|but))\s*how long\b(?!\s+ago\b)|\bhow much time\b|" + TIME_TAKEN_ASKED, re.I)
# Of those, the ones that can only mean time: "how much time", a time named by what takes it, and "how
# long" with a verb of time passing ("How long did the incident *last*?", "how long does it *take*",
# "how long do I *leave* the dough"): "1 TiB data volume" is a size, no answer to them; "How long can
# a key name be?" may be answered in characters
TIME_ASKED = re.compile(r"\bhow long\b(?!\s+ago\b)[^?]*?\b(?:last|lasts|lasted|lasting|take|takes|took|taking|wait|waits|waited|stay|stays|stayed"
                        r"|leave|left|keep|kept|spend|spent|sleep|slept|rest|rested)\b|\bhow much time\b|" + TIME_TAKEN_ASKED, re.I)
# A count and its unit: "1h 38m", "16h", "45 s", "two weeks", "a few days"; a letter for a unit only
# after figures ("an d" is no count of days, "a s" no seconds: "and", "as" measure nothing)
_COUNT = rf"(?:\d\s*-?\s*|\b(?:{NUMBER_WORDS}|an?|few|several)[\s-]+)"
_TIME_EXTENT = (rf"{_COUNT}(?:milliseconds?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|nights?|wks?|weeks?|fortnights?|months?|mos?|yrs?|years?)\b"
                r"|\d\s*-?\s*(?:ms|s|h|d)\b"
                r"|\b\d{1,2}[:.]\d\d\s*(?:-|–|—|to|until|till)\s*\d{1,2}[:.]\d\d\b|\b\d{1,2}:\d\d:\d\d\b|\bovernight\b")
TIME_EXTENT = re.compile(_TIME_EXTENT, re.I)
EXTENT = re.compile(_TIME_EXTENT + rf"|{_COUNT}(?:bytes?|characters?|chars?|words?|lines?|pages?|tokens?)\b|\d\s*-?\s*[kmgt]i?b\b|" + _LENGTH, re.I)
SHOWN_BY_SHAPE.update({
    # "350F", "180C" in capitals only: "2 c flour" is cups, "5G" a network
    "temperature": re.compile(r"\d\s*(?:°|º|degrees?\b)|\bgas mark\s*\d|\d\s?(?-i:[CF])\b(?![-'’])", re.I),
    **{w: re.compile(r"\d\s*(?:(?-i:[kK]?g|KG)|grams?|kilos?|kilograms?|lbs?|pounds?|oz|ounces?|stones?)\b", re.I)
       for w in ("weight", "gram", "kilogram", "kilo", "ounce")},  # "how many *grams* of ginger ...?": "20 g"
    "price": PRICE, "cost": PRICE, "fee": PRICE, "fare": PRICE,  # "the yearly mooring *fee*": "**£1,860/yr**"
    # and what is paid ("What are we *paying* for an 11-speed chain?": "| 11sp chain | **$34.50** |"); not
    # a charge, which names one ("do we pay the landlord a *service charge*?": the building insurance's
    # "£640" is none)
    **{w: PRICE for w in ("pay", "paying", "paid")},
    # "what altitude is the lot grown at?": "| Altitude | 1,750 masl |" (metres above sea level)
    **{w: re.compile(_LENGTH, re.I) for w in ("distance", "spacing", "depth", "height", "width", "altitude", "elevation")},
    "speed": re.compile(r"\d\s*(?:km/h|kph|mph|m/s|knots?)\b", re.I),
    "pressure": re.compile(r"\d\s*(?:psi|bar|mbar|kpa|hpa|mmhg|atm)\b", re.I),  # "keep them at 80 psi"
    # what a gauge, meter or test shows is a figure, not a date: "What compression readings did the engine
    # give?": "Did a compression test ...: 145 / 110 / 115 / 150."; "Rent went up on 1 April 2026" shows none
    "reading": re.compile(r"(?<![\w.,/-])(?!(?:1[6-9]|20)\d\d\b)\d[\d,.]*(?![\w/-])(?!\s*(?:st|nd|rd|th)\b)(?!\s+" + SHORT_MONTH + r")", re.I),
    # "what voltage is it charging at?": "**14.3 V**" (a capital V: "5 vs 6" is no voltage); "how many
    # watts does it pull?" asks for a wattage as "what wattage" does: "13 A plug" gives neither
    **{w: re.compile(r"\d\s*(?:(?-i:[mk]?V)|volts?)\b", re.I) for w in ("voltage", "volt")},
    **{w: re.compile(r"\d\s*(?:(?-i:[kM]?W)|watts?)\b", re.I) for w in ("wattage", "watt")},
    "pace": re.compile(r"\d[:.]\d\d\s*(?:/\s*(?:km|mi(?:le)?)\b|min(?:utes)?\s*(?:/|per)\s*(?:km|mile))|\d\s*min(?:utes)?\s*(?:/|per)\s*(?:km|mile)", re.I),
    # "what interest rate is the mortgage fixed at?": "fixed **4.19%**", or a frequency ("60 fps", "120 bpm");
    # not a sum per month ("£200/month" into a savings pot is no interest rate)
    # or so much for each unit of something ("Own car: €0.32 per km", "€62 a session"); not a month's sum
    "rate": re.compile(r"\d\s*(?:%|per\s?cent\b|percent\b)|\d\s*(?:fps|bpm|rpm|k?hz|[kmg]bps)\b"
                       r"|\d\s*(?:/\s*|\s+per\s+|\s+an?\s+)(?:km|kilomet(?:er|re)s?|mi|miles?|hours?|hrs?|h|days?|nights?|person|head"
                       r"|kg|kilos?|lit(?:er|re)s?|l|units?|words?|pages?|sessions?|visits?|lessons?|class(?:es)?|items?)\b", re.I),
})

# "What did the final invoice actually come to?", "how much did it cost in the end?": what was paid, so a
# sum given only as a quote or an estimate ("Quote: £380", "quote KC-7734 (22 Aug): ... **$2,180 incl
# GST**") is not it
FINAL_SUM_ASKED = re.compile(r"\b(?:final|actual|actually|in the end|in total|all in|(?:come|came) to|end(?:ed)? up (?:paying|costing))\b", re.I)
ESTIMATE_LINE = re.compile(r"\W*(?:quote|quotation|estimate)\b", re.I)  # a line that opens so gives its sums as one
ESTIMATED = re.compile(r"\b(?:quote|quoted|quotation|estimate|estimated|est)\b\W*(?:\w+\W+)?$", re.I)  # a sum right after the word
# A sum said to leave a thing out: "Total (ex fee) £1,281.20", "£640 excl. VAT", "not counting the deposit"
LEFT_OUT = re.compile(r"\b(?:ex|excl|excluding|exclusive of|not including|not counting|without)\.?\s+(?:the\s+|any\s+)?([a-z][\w-]+)", re.I)


def leaves_out_asked(text: str, question: str) -> bool:
    """Whether the sentence's sum leaves out the very thing the question asks the sum of, named nowhere
    else in it: "Total (ex fee) £1,281.20." does not say what the planning application fee came to."""
    asked = content_words(question)
    for m in LEFT_OUT.finditer(text):
        word = m.group(1).lower()
        rest = set(content_words(text[: m.start()] + " " + text[m.end():]))
        if any(same_word(word, a) for a in asked) and not any(same_word(word, w) for w in rest):
            return True
    return False


BOLD_MARK = re.compile(r"\*\*")  # bold in prose; in code, "**kwargs" and "2**8" are written as meant
HOW_OFTEN = re.compile(r"\bhow often\b|\bhow frequently\b", re.I)
RATE_WORDS = r"once|twice|hourly|daily|weekly|monthly|quarterly|yearly|annually|nightly"
RATE_WORD = re.compile(rf"\b(?:every|each|{RATE_WORDS})\b", re.I)  # a rate said in words, with or without a figure
PERIODIC = re.compile(
    rf"\b(?:every|each|per|a|an)\s+(?:(?:{NUMBER_WORDS}|\d+|few|couple of|other)\s+)?(?:second|minute|hour|day|night|week|month|quarter|year|release|run|time)s?\b"
    # a rate in any measure of use ("every 300 km", "every 3 washes") or on a weekday ("every Sunday")
    rf"|\bevery\s+(?:\d[\d,.]*\s*[a-z]+|(?:{NUMBER_WORDS})\s+[a-z]+|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|morning|evening|weekend)\b"
    rf"|\b(?:{RATE_WORDS})\b|\b(?:\d+|{NUMBER_WORDS}) times\b",
    re.I,
)
# "Besides "auto", what other values ...?", "sizes other than 1024x1024", "Besides GET, which method ...?",
# "Can DALL-E 3 generate images at 1792x1024 instead of 1024x1024?":
# the answer names another value of the same shape (a number, code or a quoted word, a name in
# capitals); sentences that only name the one set aside answer nothing.
OTHER_THAN = re.compile(r"\b(?:besides|other than|apart from|aside from|except(?: for)?|instead of)\s+(\"[^\"]+\"|'[^']+'|`[^`]+`|[\w.+/-]*\d[\w.+/-]*|(?-i:[A-Z]{2,})\b)", re.I)
CAPITALS = re.compile(r"(?<![\w-])[A-Z]{2,}(?![\w-])")


def names_its_pick(question: str, other: re.Match) -> bool:
    """Whether the question names, beside the value it sets aside (OTHER_THAN), the one it wants in
    that value's place, of its kind: "ipv4" for "instead of ipv6" (the same letters, another figure),
    a quoted or code term for a quoted or code one ('spell out the unit as "kilometers" instead of "km"').
    Then it asks for that one, and an answer need not name yet another."""
    value = other.group(1)
    rest = question[: other.start()] + " " + question[other.end():]
    if re.match(r"[\"'`]", value):
        return bool(re.search(r"\"[^\"]+\"|`[^`]+`|(?<!\w)'[^']+'(?!\w)", rest))
    letters = re.sub(r"[^a-z]", "", value.lower())
    return len(letters) >= 2 and any(re.sub(r"[^a-z]", "", t.lower()) == letters and t.lower() != value.lower()
                                     for t in re.findall(r"[\w.+/-]*\d[\w.+/-]*", rest))


def names_another(other: str, text: str, question: str) -> bool:
    """Whether the text names a value of the shape of `other` (OTHER_THAN) that the question does not."""
    if re.search(r"\d", other) and not re.match(r"[\"'`]", other):  # a figure of two digits or more: "DALL-E 2 and 3" are names
        return bool(set(re.findall(r"\d{2,}", NAMED_NUMBER.sub(" ", text))) - set(re.findall(r"\d+", question)))
    if CAPITALS.fullmatch(other):
        return bool(set(CAPITALS.findall(text)) - set(CAPITALS.findall(question)))
    # a value in code or quotes is one word (`none`, "required"), not a call or an assignment that uses the one set aside
    values = {v.strip().lower() for m in CODE.finditer(text) for v in [m.group(1) or m.group(2)]} | {(a or b).lower() for a, b in QUOTED.findall(text)}
    asked = question.lower()
    return any(re.fullmatch(r"[\w-]+", v) and not re.search(r"(?<![\w-])" + re.escape(v) + r"(?![\w-])", asked) for v in values)


# A question that asks for a limit ("What is the maximum tarball size ...?", "Is there a max line
# length ...?") is answered by a sentence that states one, beside it or in its heading path: "less than
# or equal to 214 characters", "a minimum period of six months", `maxKeys`, "Larger Max Output Tokens";
# a lowest one by a figure and a plus or "or later" ("you need to have git 2.17+ and Python 3.6+").
# Without one, the notes describe the thing and say nothing of its limit.
BOUND_ASKED = re.compile(r"\b(max|maximum|minimum|min|upper limit|lower limit|at most|at least)\b", re.I)
BOUND = re.compile(
    r"\b(?:max|maximum|maxim\w+|min|minimum|limit\w*|up to|at most|at least|no more than|no fewer than|no less than|less than|more than|"
    r"fewer than|greater than|larger than|smaller than|exceed\w*|cap|capped|or equal|between|fits?|range|ranges|highest|lowest|largest|smallest|"
    r"longest|shortest|bounded|ceiling|floor|threshold)\b|\b(?:max|min)(?=[A-Z_\d])|[<>≤≥]=?\s*\d|\d\+(?![\w+])|\bor (?:later|newer|higher|above|greater|more)\b",
    re.I,
)
# "How many times / hours ...?" counts in that unit: the answer is a count of times ("3 retries",
# "twice") or a span of time ("48 hours", "a 4-second timeout"), not any number ("190 responses").
COUNTED = re.compile(r"\bhow many (?:[\w-]+\s+){0,3}?(times|(?:milli)?seconds|minutes|hours|days|weeks|months|years)\b", re.I)
TIMES = re.compile(rf"\b(?:\d+|{NUMBER_WORDS}|several|few)\s+(?:times|attempts|retries|tries)\b|\b(?:once|twice|thrice)\b", re.I)
# (or written short, as notes do: "every 200 hrs", "3 wks", "45 mins")
DURATION = re.compile(rf"(?:\b(?:\d+(?:\.\d+)?|{NUMBER_WORDS}|an?)|\d)(?:\s+|-)?(?:ms|milliseconds?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|wks?|weeks?|mths?|months?|yrs?|years?)\b", re.I)
# A date right after someone told of a thing is the day they told ("Stuart told me 15 Apr"), not the day of
# the thing (has_kind), unless the question asks about the telling
TELLING_ASKED = re.compile(r"\b(?:tell|told|say|said|message|messaged|e-?mail|e-?mailed|ring|rang|phone|phoned|text|texted|mention|mentioned)\b", re.I)
WHEN_TOLD = re.compile(r"\b(?:told (?:me|us|him|her)|said so|messaged|e-?mailed|rang|phoned|texted|mentioned it)\s+(?:on\s+)?$", re.I)
# "How many miles ...?", "how many grams of ginger ...?": a measure, counted in its unit
MEASURE_COUNTED = re.compile(r"\bhow many (?:[\w-]+ ){0,2}?(miles|km|kms|kilomet\w+|metres|meters|feet|yards|litres|liters|gallons|kg|kilos|kilograms"
                             r"|grams|lbs|ounces|cm|mm|inches|watts|volts|amps|calories|kcal)\b", re.I)
# a count of things asked for (not of money: "how many dollars ...?", nor of time, COUNTED)
HOW_MANY = re.compile(r"\bhow many\b(?! (?:[\w-]+ ){0,2}?(?:dollars|pounds|euros|cents|pence|quid|bucks)\b)", re.I)
DEFAULT = re.compile(r"\bdefault", re.I)
# A parameter given a value where a function is declared (not called: an example call sets what it
# likes): "Signature: `request.form(max_files=1000, max_part_size=1024*1024)`", "def f(retries=3):".
DECLARED = re.compile(r"\bsignature\b|^\W*(?:async\s+)?def\s", re.I)
KEYWORD_VALUE = re.compile(r"(?<![\w.])([A-Za-z_]\w{2,})\s*=\s*(?=[\w\"'(\[*-])")


def gives_default(text: str, asked: str) -> bool:
    """Whether the text declares a function giving a parameter the question names (lower-cased
    `asked`) a value: what the parameter defaults to, though the word "default" is not written."""
    return bool(DECLARED.search(text)) and any(
        re.search(r"(?<![\w.])" + re.escape(m.group(1).lower()) + r"(?!\w)", asked) for m in KEYWORD_VALUE.finditer(text))


DEFAULT_AFTER = re.compile(r"\s*[*_]*defaults?[*_]*\s*(?::|is\b|to\b|[*_]*:)", re.I)  # "Default: `100`", "**Default:** `false`", "Defaults to `500`."
COMMENT = re.compile(r"^\s*(?:#|//|--|/\*)\s")  # a comment line of a code listing


def spells_out(letters: str, text: str) -> bool:
    """Whether the text spells out an acronym beside it: words whose first letters, in a row, are
    its letters, with the acronym within three words ("Generative Pre-trained Transformer" after
    "GPT (", "Retrieval-Augmented Generation (RAG)", "DSL stands for domain specific language"). A
    short word between them ("of", "and") or the second part of a compound may give no letter."""
    for sentence in re.split(r"[.!?;:]+(?:\s|$)", text):
        found = list(re.finditer(r"[A-Za-z][A-Za-z']*", sentence))
        words = [(m.group(0).lower(), m.start() > 0 and sentence[m.start() - 1] == "-") for m in found]
        named = [k for k, (w, _) in enumerate(words) if w in (letters, letters + "s")]

        def spelled(at: int, i: int, skips: int) -> int | None:  # where the words spelling letters[i:] from words[at:] end
            if i == len(letters):
                return at
            if at == len(words):
                return None
            word, joined = words[at]
            end = spelled(at + 1, i + 1, skips) if word[0] == letters[i] else None
            # a few words that give no letter, not a run of them ("a-a-a-...": no acronym is spelled so)
            if end is None and (joined or word in ACRONYM_FILLERS) and i > 0 and skips < len(letters):
                end = spelled(at + 1, i, skips + 1)
            return end

        for at, (word, _) in enumerate(words):
            if word[0] == letters[0] and at not in named and (end := spelled(at, 0, 0)) is not None:
                if any(at - 3 <= k < at or end <= k < end + 3 for k in named):
                    return True
    return False


ACRONYM_FILLERS = {"of", "and", "the", "for", "to", "a", "an", "in", "on", "with", "by"}


def has_kind(kind: str | None, sentence: str, passage_text: str, question: str, window: str | None = None, code: bool = False) -> bool:
    """Whether the sentence holds what the question asks for beyond the question's own words. A
    command, flag or setting asked for: the sentence is a line of code, or it or a sentence beside it
    (`window`, the sentence alone when not given) holds a code token the question does not ("... with
    the `-v` option:", asked which flag gives a more detailed summary)."""
    if kind is None or kind == "list":
        return True
    if kind == "todo":
        return bool(UNTICKED.match(sentence) or not TICKED.match(sentence) and NOT_DONE_SAID.search(sentence))
    if kind == "full form":  # the letters spelled out in the sentence or one beside it
        asked = STANDS_FOR.search(question)
        if not asked:
            return True
        letters = re.sub(r"[^a-z]", "", next(g for g in asked.groups() if g).lower())
        letters = letters[:-1] if len(letters) > 2 and letters.endswith("s") else letters  # "GANs"
        return len(letters) < 2 or spells_out(letters, URL.sub(" ", window or sentence))
    if kind == "email":
        return bool(EMAIL.search(sentence))
    if kind == "phone":
        return shown_by_shape("phone", sentence)
    text = URL.sub(" ", sentence)
    if kind == "reference":
        return says_reference(without_phone_numbers(text))
    if kind == "access code":
        return any(m.group(0).strip("*") not in question for m in ACCESS_CODE.finditer(YEAR_SAID.sub(" ", text)))
    asked = question.lower()
    if kind == "number":
        if not code:
            text = BOLD_MARK.sub("", text)  # "every **500 injections**" is a rate as "every 500 injections" is
        version_wanted = bool(VERSION_WANTED.search(question))
        if not version_wanted:  # a file's path counts nothing ("2026-03-responses.csv"), unless it tags a version (`ghcr.io/x/y:2.17.2`)
            text = PATH.sub(" ", text)
        text = NAMED_NUMBER.sub(" ", text)  # the 35 of gpt-35-turbo counts nothing
        text = UNCOUNTED_ONE.sub(" ", text)  # nor a "one" that counts nothing: "one of the best ways", "the last one"
        text = re.sub(YEARS, " ", text, flags=re.I)  # nor a year or a decade: "Around 2017" counts no parameters
        # "What port does blackd listen on by default?": a number stated as the default, in the sentence or
        # one beside it ("By default, tmux imposes a 500ms delay"), not one an example uses ("--bind-port 9090")
        if DEFAULT.search(question) and not DEFAULT.search(URL.sub(" ", window or sentence)) and not gives_default(text, asked):
            return False
        if PRICE_ASKED.search(question):
            if not PRICE.search(text):  # "how much does it cost": a price, not any number
                return False
            if leaves_out_asked(text, question):  # "Total (ex fee) £1,281.20", asked the fee
                return False
            if FINAL_SUM_ASKED.search(question) and (  # "Quote: £380", asked what the final invoice came to
                    ESTIMATE_LINE.match(text) or all(ESTIMATED.search(text[max(0, m.start() - 24):m.start()]) for m in PRICE.finditer(text))):
                return False
        if HOW_OFTEN.search(question):  # "how often": a rate ("every five minutes"), not any number
            if not PERIODIC.search(text):
                return False
            if RATE_WORD.search(text):  # "every Sunday", "daily", "once a year": a rate that needs no figure
                return True
        # "How long did the incident last?" asks for a stretch of time (TIME_ASKED): "1h 38m", "20:41–22:19",
        # "two weeks"; "how long can the path be?" for one of time, length or size ("107 bytes"); the
        # date it happened on is no answer to either
        if LONG_ASKED.search(question) and not (TIME_EXTENT if TIME_ASKED.search(question) else EXTENT).search(text):
            return False
        if version_wanted and not any(m.group(0).lower() not in asked for m in VERSION_SHAPE.finditer(text)):
            return False
        if counted := COUNTED.search(question):
            unit = TIMES if counted.group(1).lower() == "times" else DURATION
            return any(m.group(0).lower() not in asked for m in unit.finditer(text))
        if (measured := MEASURE_COUNTED.search(question)) and not re.search(r"\d", text):
            # "how many miles were on the clock?" is read off in figures: "one owner from new" counts owners,
            # though "two miles" would do
            unit = re.escape(measured.group(1).lower()[:3])
            if not re.search(rf"\b(?:{NUMBER_WORDS})[\s-]+{unit}", text, re.I):
                return False
        if re.search(WEIGHT_ASKED, question, re.I):
            return bool(WEIGHT.search(text))
        if HOW_MANY.search(question):  # "how many tickets did we sell?": "on sale 5 weeks out" or "$60" counts none
            text = PRICE.sub(" ", DURATION.sub(" ", text))
        if re.search(PLACE_NUMBER_ASKED, question, re.I):  # "which unit number is my lock-up?": "from 1 Sept. £38/month" numbers no unit
            text = SUM.sub(" ", DURATION.sub(" ", DATE.sub(" ", text)))
        return any(m.group(0).lower() not in asked for m in QUANTITY.finditer(text))
    if kind == "date":
        # the day someone said it is not the day it is about: "offered a trial at the centre of excellence
        # (Stuart told me 15 Apr)" gives no date of the trial, asked when it is
        return any(m.group(0).lower() not in asked and not (WHEN_TOLD.search(text[:m.start()]) and not TELLING_ASKED.search(question))
                   for m in DATE.finditer(text))
    if kind == "time":
        return any(m.group(0).lower() not in asked for m in CLOCK.finditer(text))
    if kind == "name":
        # "who made X?" asks for the maker: a sentence that names someone without saying they made it
        # ("Tools like DALL·E or MidJourney fall here.", asked which company created DALL·E) does not answer
        maker = MAKER.search(question)
        if maker and not MADE_BY.search(text):
            return False
        # and says the thing asked about was made: "developed X", "X was created by": "the team at
        # LangChain have developed LangSmith" does not say who created LangChain
        made = [m.group(1).lower() for m in CAPITAL.finditer(question, maker.end())] if maker else []
        lower = text.lower()
        if made and not any(
            any(w.start() < at for w in MADE_BY.finditer(lower) if w.group(0) != "by") or re.search(r"\bby\b", lower[at:])
            for name in made for at in [m.start() for m in re.finditer(re.escape(name), lower)]
        ):
            return False
        # a name: a capitalised word the notes never write in lower case, not the question's own
        # ("Transformers" asked about the Transformer), not an acronym, not a clause's first word (but the
        # maker may open the sentence: "Meta released Llama 3.1")
        # (not the lower-case name an email address or a link spells: "lucinda.farrow@greaveagents.example")
        common = set(re.findall(r"\b[a-z][a-z0-9]+", URL.sub(" ", EMAIL.sub(" ", passage_text))))
        asked_words = content_words(question)
        if WHICH_THING.search(question):  # a tool or model by name: "GPT", "BERT", `tiktoken`, "Llama 3.2 1B" count
            named = [m.group(1) for m in re.finditer(r"(?<![\w.])([A-Z][\w.+-]*\d[\w.+-]*|[A-Z]{2,}[\w.+-]*|\d+(?:\.\d+)?[BM])(?![\w.])", text)]
            # and so does a word linked to its own page: "based on a separate package, [resolvelib](https://pypi.org/...)"
            named += [m.group(1) for m in LINKED_NAME.finditer(sentence) if m.group(1).lower() in m.group(2).lower()]
            if new_code_token(text, asked) or any(n.lower() not in asked and not DATE.fullmatch(n) for n in named):
                return True
        return any(
            (m.start() > 0 or maker) and not re.search(r"[:.!?“\"(]\s*$", text[: m.start()]) and not re.fullmatch(r"[A-Z0-9]+s?", m.group(1))
            and m.group(1).lower() not in common and content_words(m.group(1)) and not DATE.fullmatch(m.group(1))
            # asked the name of someone or something ("What's the name of Mags's niece ...?"), a day or a
            # month is when, not who: "Mags + her niece: stall Sat 14th" names no niece
            and not (DAY_OR_MONTH.fullmatch(m.group(1)) and NAME_OF.search(question))
            and not all(any(same_word(w, a) for a in asked_words) for w in content_words(m.group(1)))
            for m in CAPITAL.finditer(text)
        )
    if kind == "value":  # a setting's value: a figure ("Default: 300000") or a literal of code (`true`, `"auto"`)
        if DEFAULT.search(question) and not DEFAULT.search(text) and not gives_default(text, asked):  # its default, not a value an example sets ("maxSize: 1024,")
            return False
        # a value the sentence states as the default, however written: "Default: "WARNING"" (a reference's field)
        stated = DEFAULT_AFTER.match(text)
        return has_kind("number", sentence, passage_text, question) or new_code_token(text, asked) or bool(stated and text[stated.end():].strip())
    if kind == "command":
        if code and COMMENT.match(sentence):  # "# Check if the model wants to call a function" describes code, it runs nothing
            return False
        if code and printed_output(sentence, passage_text):  # what a command printed runs nothing either
            return False
        # "What command do I run to enable Corepack?": a file it names (`package.json`) runs nothing
        files = FILE_NAME if COMMAND_ASKED.search(question) else None
        if code or new_code_token(URL.sub(" ", window or sentence), asked, files):
            return True
        # an option of an app's screens is named in bold, as its screen shows it: "set the **Only with
        # Attachments** to **Yes**" says which advanced option of the email trigger to set
        return bool(UI_ASKED.search(question)) and any(
            (label := (m.group(1) or m.group(2)).strip()).lower() not in asked and not NOTICE.fullmatch(label) for m in BOLD.finditer(text))
    return True


def printed_output(sentence: str, passage_text: str) -> bool:
    """Whether the line is what a command printed: in a fenced block whose commands are typed after a
    prompt ("$ jupyter book"), a line without one ("- build & export professional PDFs and Word
    documents") is the program's output."""
    line = sentence.strip()
    for block in FENCED_BLOCK.finditer(passage_text):
        body = block.group(2)
        if PROMPTED.search(body) and any(line in row and not PROMPTED.match(row) for row in body.splitlines()):
            return not any(line in row and PROMPTED.match(row) for row in body.splitlines())
    return False


FENCED_BLOCK = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n(.*?)^[ \t]*\1", re.M | re.S)
PROMPTED = re.compile(r"^\s*(?:\$|>>>)\s", re.M)  # a shell's or Python's prompt before a typed command


UI_ASKED = re.compile(r"\b(?:option|setting|button|menu|toggle|checkbox|tab|field)s?\b", re.I)
BOLD = re.compile(r"\*\*([^*\n]{2,60})\*\*|(?<!\w)__([^_\n]{2,60})__(?!\w)")
NOTICE = re.compile(r"(?:note|notes|warning|tip|important|caution|example|default|yes|no|true|false)\s*:?", re.I)  # a label or a value, no option


COMMAND_ASKED = re.compile(r"\bcommands?\b", re.I)
FILE_NAME = re.compile(r"[\w.-]*\.(?:json|jsonc|js|mjs|cjs|ts|md|txt|ya?ml|toml|lock|ini|cfg|conf|xml|html|css|py|rb|go|rs|sh)")


def new_code_token(text: str, asked: str, skip: re.Pattern | None = None) -> bool:
    """Whether the text holds a code token (`x`, --flag, init.defaultBranch, ...) that the question
    (`asked`, lower-cased) does not, leaving out tokens that `skip` matches whole."""
    tokens = ((m.group(1) or m.group(2)).strip() for m in CODE.finditer(text))
    return any(t.lower() not in asked and not (skip and skip.fullmatch(t)) for t in tokens)


# The kind of code thing a question asks for by name, when no other noun is what it asks about: "Which
# jq flag ...?", "what config key ...?".
ASKED_CODE_NOUN = re.compile(r"\b(?:which|what)\s+(?:[\w.`-]+\s+){0,2}?(flag|option|setting|key|variable|command|method|function|parameter|hook|event|field)s?\b", re.I)


# A name before a noun: "the Tekken tokenizer", "the `max_tokens` parameter", "the `-v` option".
NAMED_NOUN = re.compile(r"(`[^`]+`|(?<![\w.])[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)*)\s+([a-z][\w-]*)")


NOUN_THEN_NAME = re.compile(r"\b([a-z][\w-]*)\s*[,:(]\s*(`[^`]+`|[A-Z][\w.+-]*|[a-z]+_[\w.]+)")


def names_one(sentence: str, head: list[str], question: str) -> bool:
    """Whether the sentence names one of what the question asks which of (its head noun, `Focus.head`),
    with a name or code token the question does not use: "the Tekken tokenizer" for "which tokenizer"."""
    if not head:
        return False
    asked = question.lower()
    for m in NAMED_NOUN.finditer(sentence):
        name, noun = m.group(1).strip("`").lower(), content_words(m.group(2))
        opens = not re.search(r"[\w,]\s*$", sentence[: m.start()])  # "Load" of "# Load Mistral tokenizer" starts the line
        if noun and any(same_word(noun[0], h) for h in head) and name not in asked and not opens:
            return True
    # or the noun, then the names it stands for: "a combination of two models, CLIP and diffused
    # attention", "the available tools (brave_search, wolfram_alpha)"
    for m in NOUN_THEN_NAME.finditer(sentence):
        noun = content_words(m.group(1))
        if noun and any(same_word(noun[0], h) for h in head) and m.group(2).strip("`").lower() not in asked:
            return True
    return False


# Prefixes that make an ordinary word of another ("overfeeding", "undercooked", "outgrown", "misread",
# "nonstandard"); not "re", "un" or "pre", which start as many names ("redis", "unpkg", "prettier")
WORD_PREFIXES = ("over", "under", "out", "mis", "non")


def unheard_terms(focus: Focus, vocabulary: Vocabulary, whole_word, min_words: int) -> list[str]:
    """The question's terms that the notes never use and that are no ordinary word: "kubectl",
    "terraform", "walrus" asked of notes that never say them. In a collection with a vocabulary of
    `min_words` or more, a term it never uses means the notes are not about it; in a small one (the
    default notes have 196 words) half the real questions use some word the notes lack. An ordinary
    word (one the embedder's tokenizer keeps whole, an inflection of one, or one mistyped) may be a
    paraphrase, a short one or one a letter from a word of the notes a typo, and a word the notes
    write as two ("file system") is theirs, so none of these counts."""
    if whole_word is None or len(vocabulary.words) < min_words:
        return []

    def known(word: str) -> bool:  # "replying": the tokenizer cuts it, but "reply" is a word
        return whole_word(word) or any(whole_word(stem) for stem in stems(word))

    def ordinary(part: str) -> bool:
        # "paralell": "parallel" mistyped; "untill": "until" mistyped (a function word, which no note
        # counts among its words)
        return (known(part)
                or len(part) >= 7 and any(len(w) >= 7 and whole_word(w) for w in one_edit(part))
                # "foler": "folder" with a letter dropped, the commonest slip in a short word
                or len(part) >= 5 and any(len(w) == len(part) + 1 and whole_word(w) for w in one_edit(part))
                # "wierd": "weird" with two letters swapped, the other common slip ("freind", "recieve")
                or len(part) >= 5 and any(whole_word(w) for w in swaps(part))
                or any(len(w) >= 4 and w in STOPWORDS for w in one_edit(part))
                # "overfeeding": "feeding" with a prefix that makes a word of it, not a name
                or any(part.startswith(p) and len(part) - len(p) >= 4 and known(part[len(p):]) for p in WORD_PREFIXES))

    unheard = []
    for word in focus.words:
        # a name of letters and figures ("int4", "fp8", "socks5", "base64") is no word of any
        # dictionary: notes that never write it, even apart ("GPT-4" for "gpt4"), are not about it
        if LETTERS_AND_FIGURES.fullmatch(word) and not vocabulary.writes_parts(word):
            unheard.append(word)
            continue
        parts = [p for p in word.split("-") if p.isalpha()]
        if vocabulary.never_writes(word, focus.relatives) and any(len(p) >= 5 and not ordinary(p) and not vocabulary.knows(p) for p in parts):
            unheard.append(word)
    return unheard


def told_apart(unheard: list[str], focus: Focus, question: str) -> list[str]:
    """The unheard terms less the asker's own lowercase words in a sentence that does not ask
    (asking_part): "Kestrel's office left me a *voicemail* about 'confirming the booking' ... What have I
    got booked with Kestrel for Aldermoor and on what date?" asks of a booking, not of voicemail. A
    name (typed with a capital, or of letters and figures) stays unheard wherever it stands: notes that
    never name it are not about it."""
    asking = asking_part(question)
    if not unheard or asking == question:
        return unheard
    asked = set(content_words(asking))

    def told_word(word: str) -> bool:
        typed = typed_as(word, question)
        return (typed is not None and typed.group(0).islower() and not LETTERS_AND_FIGURES.fullmatch(word)
                and not focus.found(word, asked))

    return [w for w in unheard if not told_word(w)]


def typed_as(word: str, question: str) -> re.Match | None:
    """Where the question types a (stemmed) word, whole: "aliases" for "aliase"."""
    return re.search(r"\b" + re.escape(word) + r"[\w-]*", question, re.I)


def as_typed(words: list[str], question: str) -> str:
    """The words as the question types them, not stemmed ("aliases", not "aliase"), quoted and listed."""
    return ", ".join(repr(m.group(0) if (m := typed_as(w, question)) else w) for w in words)


LETTERS_AND_FIGURES = re.compile(r"[a-z]{2,}\d+[a-z\d]*|\d+[a-z]{2,}[a-z\d]*")


def stems(word: str) -> list[str]:
    """What an inflected word may come from: "replying" -> reply, "stopped" -> stop, "parses" -> parse."""
    found = []
    for suffix in ("ing", "ed", "er", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            found += [base, base + "e"] + ([base[:-1]] if len(base) > 2 and base[-1] == base[-2] else [])
    if word.endswith("ies"):
        found.append(word[:-3] + "y")
    return found


def one_edit(word: str) -> set[str]:
    """Every string one deletion, swap, change or insertion of a letter away from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in cuts if b} | swaps(word)
        | {a + c + b[1:] for a, b in cuts if b for c in letters} | {a + c + b for a, b in cuts for c in letters}
    ) - {word}


def slips_of(word: str) -> set[str]:
    """The words a slip of the keys in `word` may have been typed for (Vocabulary.respelled): two
    letters swapped; one left out of a word of six letters or more; one mistyped or one too many in
    a word of seven or more."""
    return swaps(word) | {w for w in one_edit(word) if len(word) >= 6 and len(w) == len(word) + 1 or len(word) >= 7 and len(w) in (len(word), len(word) - 1)}


def swaps(word: str) -> set[str]:
    """Every string two neighbouring letters of `word` swapped make: "wierd" -> "weird", ..."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)} - {word}


# A question that ends by offering a choice: "Which Node version manager does npm recommend, nvm or volta?"
CHOICE = re.compile(r"\b([\w.+-]+)\s+or\s+([\w.+-]+)\s*\?\s*$", re.I)
# The same choice set off by commas inside the question: "Which style option, vivid or natural, does
# the example pass?"; not one that says when ("... if I don't set --timeout or PIP_TIMEOUT?")
CHOICE_WITHIN = re.compile(r",\s*([\w.+-]+)\s+or\s+([\w.+-]+)\s*,", re.I)
CONDITION = re.compile(r"\b(?:if|when|unless|without|whether)\b", re.I)


def clipped(option: str, words) -> bool:
    """Whether one of `words` is the option cut short, as notes write "masc" and "fem" for "masculine"
    and "feminine": its first three letters or more, a third of it or more, and not all of it."""
    return any(3 <= len(w) < len(option) and 3 * len(w) >= len(option) and option.startswith(w) for w in words)


def choice_offered(question: str) -> tuple[str, str] | None:
    """The two options a question asks to choose between, when it offers them and sets no condition."""
    choice = CHOICE.search(question) or CHOICE_WITHIN.search(question)
    if not choice or CONDITION.search(question[:choice.start()]):
        return None
    return choice.group(1).lower(), choice.group(2).lower()


# A sentence further than this below the best one is not read again with the one before it, which
# saves embedding most of a long section. Dev questions of TIL, genai and Node.js guides (1,500 gains):
# the largest gain was 0.83, and the furthest sentence that came within 0.25 of the best (so could be
# quoted) started 0.98 below it.
READ_WITH_REACH = 1.1


# A part of a hyphenated compound the notes use in fewer chunks is a rarity of theirs, not an everyday
# word: "hue-rotate" (a CSS filter) over notes that say "Hue" once is no paraphrase (Decider.paraphrased).
PARAPHRASE_MIN_CHUNKS = 3


# A day's note named by its date, as Obsidian's and Logseq's daily notes are: 2026-11-03.md,
# journals/2026_11_20.md; or a note headed by one ("## Supervisor meeting 2026-04-21").
FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.](0[1-9]|1[0-2])[-_.](0[1-9]|[12]\d|3[01])(?!\d)")
# A Zettelkasten's note id, the minute it was made ("202604211000 Meeting Okonjo.md"; "20260421"):
# read in file names only, where a run of twelve figures is no count.
DATE_STAMP = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:(?:[01]\d|2[0-3])[0-5]\d)?(?!\d)")
MONTHS = "January February March April May June July August September October November December".split()


# A list item that names a thing and then says what it asks or does, in a question's words:
# "[MakeMeSay](https://...): How well can an AI system trick another AI system into saying a secret word?"
NAMED_ITEM = re.compile(r"^\s*(?:\[[^\]]+\]\([^)]*\)|\*\*[^*]+\*\*|`[^`]+`)\s*[:\u2013\u2014-]\s+\S")


# A link to another note of the folder ("[Set Session-Specific Environment Variables](set-session-specific-
# environment-variables.md)"): a sentence that says the question's words only in such a link's text, the
# linked note retrieved too, points to the answer rather than gives it (Decider.names_elsewhere), and
# answers after that note's own sentences: ELSEWHERE_PENALTY off its order, more than the 0.15 by which
# the pointing sentence led the note's own in the one dev case (tilm-16; no other dev answer's grade moves).
NOTE_LINK = re.compile(r"\[([^\]]*)\]\((?!https?:|#)([^)#\s]+\.(?:md|markdown))(?:#[^)]*)?\)")
ELSEWHERE_PENALTY = 0.3

# A note that says it does not have the detail: "NVMe serial — didn't write it down, TODO.",
# "Uplands: Cantor ??? (burned Hjørnvik)", "Oven: ... model TBC.", "Policy number: it's on the schedule
# PDF - I keep meaning to put it in here" (meaning to write it, not to add a clause), "score not logged", "a
# surveyor visit is 'being arranged'", "Can't remember." (not "a user not logged in") ("unknown" only where it ends a
# clause: "raises on unknown options" says nothing is unknown; question marks glued to a word ask, not
# leave a blank: "HR 160 at 6:40 pace?? turned out strap battery dying")
UNKNOWN_SAID = re.compile(
    r"(?<!\S)\?{2,}|\b(?:TBC|TBD|TBA|TODO|no idea|not known|don['’]?t know|didn['’]?t (?:write|note|get|ask|catch|record|keep)\w*|"
    r"not (?:written|noted|recorded|documented|logged(?!\s+in\b))|(?:being|to be) arranged|forgot to (?:write|note|ask|check|get)|never (?:wrote|noted|asked)|not sure|(?i:never|can['’]?t|cannot|don['’]?t|do not|couldn['’]?t) (?:remember|recall)|"
    r"(?:keep|kept|been) meaning to (?:write|note|copy|put|jot)|(?:was|were) meant to (?:write|note|copy|put|jot))\b|\bunknown(?=\s*(?:[.,;:)!]|$))")
TASK_MARK = re.compile(r"TBC|TBD|TBA|TODO", re.I)  # a task's mark: beside a sentence, it may open a line of its own about another thing
LINE_LABEL = re.compile(r"\s*[*_]*([\w'’&/ -]{1,30}?)[*_]*\s*:\s")  # "MOT: ...", "**Serial:** ..."
WHICH_OF_IT = re.compile(r"\s+(?:which|what|when|where|who|whose|how|if|whether)\b", re.I)
UNKNOWN_REACH = 4  # words before the mark that name what it is of: "NVMe serial — didn't write it down"
UNKNOWN_QUOTED = 160  # characters of that sentence the refusal quotes: a table's row may run to hundreds


# A note that says where the thing asked for is written instead of giving it: "His number's in my
# phone", "password on the noticeboard in the kitchen", "policy number + schedule: on the PDF Rachel
# emails every May", "model # is on the back plate", "Admin login written on a card and handed to Mr
# Anand". The thing is named right before the place, or before what it is of ("The identifying numbers
# for Body A and Body B are on the plates underneath") (not "Key safe on the wall by the side door",
# asked the key safe's code), no figure follows ("the code on the key safe is 4471"), and the question
# does not ask where it is.
KEPT_SAID = re.compile(
    r"(?P<thing>[A-Za-z]+|#)(?:\s+(?:for|of)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+(?=\s+(?:is|are)\b))?(?:['’]s|\s+is|\s+are|\s*[:–—-]|\s+\+\s+[\w-]+\s*:?)?(?:\s+(?:written|kept|noted|jotted|stored|saved)(?:\s+down)?)?\s+(?:in|on)\s+(?:my|the|his|her|their|our|its|a|an)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:phone|mobile|pdf|file|folder|card|noticeboard|schedule|lease|statement|app|e-?mail|paperwork|letter|contract|certificate|laptop"
    r"|form|binder|envelope|document|spreadsheet|portal|plate|label|receipt|fridge|whatsapp|note)s?\b(?![^.;\n]{0,25}\d)", re.I)
KEPT_THINGS = {"number": "number", "#": "number", "password": "password", "pw": "password", "login": "password", "code": "code",
               "pin": "pin", "address": "address", "amount": "amount", "figure": "figure", "total": "total"}
WHERE_ASKED = re.compile(r"\bwhere\b", re.I)
SUM_WORDS = frozenset({"amount", "figure", "total", "sum"})


def kept_elsewhere(text: str, focus: Focus, question: str) -> bool:
    """Whether the sentence says where the thing the question asks for is written, and not what it is."""
    if WHERE_ASKED.search(question):
        return False
    # plurals folded as content_words folds them: "the serial numbers of Body A and Body B", asked, and
    # "numbers for Body A and Body B are on the plates", kept
    asked = {w.lower() for w in WORD.findall(question)} | set(content_words(question))
    for mark in KEPT_SAID.finditer(text):
        thing = mark.group("thing").lower()
        singular = next(iter(content_words(thing)), thing)
        thing = singular if singular in KEPT_THINGS else thing
        # the thing by its own name or by what it stands for ("login" asked, "login" or "password" kept)
        if thing in KEPT_THINGS and (thing in asked or KEPT_THINGS[thing] in asked) or any(focus.found(w, {thing}) for w in focus.head):
            return True
        if focus.kind == "number" and thing in SUM_WORDS:  # "How much deposit ...?": "the amount's in the lease schedule"
            return True
    return False


def marks_unknown(text: str, focus: Focus, skip: re.Pattern | None = None, said: str = "") -> bool:
    """Whether the sentence marks a thing the question asks about as not known, right after naming it
    (by a mark `skip` does not match; a thing `said` does not name)."""
    said_words = set(content_words(said))
    # a line's label names what the line is of, however far the mark is from it, where the mark asks
    # which of it ("MOT: Ferrand's send a reminder card, I never remember which month it is."), not
    # where it names a thing of its own ("Oven: single, built-under, 71 L. model TBC.")
    label = LINE_LABEL.match(text)
    for mark in UNKNOWN_SAID.finditer(text):
        if skip and skip.fullmatch(mark.group(0)):
            continue
        before = set(content_words(" ".join(WORD.findall(text[:mark.start()])[-UNKNOWN_REACH:])))
        if label and label.end() <= mark.start() and WHICH_OF_IT.match(text, mark.end()):
            before |= set(content_words(label.group(1)))
        if any(focus.found(w, before) and not focus.found(w, said_words) for w in focus.words):
            return True
    return False


def lacking(text: str, focus: Focus, question: str) -> str | None:
    """How the sentence says the notes lack the thing asked for: "unknown" (marks_unknown), "kept"
    (written elsewhere, kept_elsewhere), or None when it does not."""
    return "unknown" if marks_unknown(text, focus) else "kept" if kept_elsewhere(text, focus, question) else None


def place_of(passage) -> str:
    """Where a passage stands, in words: its heading path, its file's path ("git set default branch
    name for new repos"), the dates in either written out ("2026-04-21" as "21 April 2026": "what did
    we agree on April 21?"), its note's tags ("#car") and description of itself (Passage.about),
    which name what a note is about as its sentences do."""
    where = " ".join(passage.section)
    dated = [*FILE_DATE.finditer(passage.file + " " + where), *DATE_STAMP.finditer(passage.file.rsplit("/", 1)[-1])]
    days = " ".join(f"{int(d.group(3))} {MONTHS[int(d.group(2)) - 1]} {d.group(1)}" for d in dated)
    return " ".join([where, passage.file.replace("/", " ").replace("-", " ").rsplit(".", 1)[0], days,
                     " ".join(passage.tags).replace("/", " "), passage.about])


# The first answering sentence says under this weighted share of the question's words (only those
# every note uses) while another says this much or more: that one answers first, and those that say
# as little as the first are dropped (Decider.decide). No dev or report question of the collections
# changes: it acts only where a sentence that says nothing particular sounds closest.
SAYS_LITTLE, SAYS_MOST = 0.2, 0.8


def lead_in_ending(text: str) -> str:
    """The last paragraph of `text` when it is prose ending in ":" (a lead-in), else ""."""
    last = re.sub(r"^\s*>\s?", "", text.rstrip().rsplit("\n\n", 1)[-1].strip())
    return last if last.endswith(":") and not last.startswith(("-", "*", "|", "#", "`")) else ""


def list_above(text: str) -> str:
    """`text` (what stands above a list item) less the list's items and pictures at its end: what
    stands above the list."""
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or LIST_ITEM.match(lines[-1]) or lines[-1].startswith((" ", "\t")) or PICTURE.fullmatch(lines[-1])):
        lines.pop()
    return "\n".join(lines)


class Decider:
    def __init__(self, vocabulary: Vocabulary, threshold: float, min_coverage: float = 0.0, coverage_weight: float = 0.5,
                 whole_word=None, unheard_min_words: int = 2000, passage_weight: float = 0.0, tie_margin: float = 0.0,
                 section_texts: dict | None = None, named_margin: float = 0.0, read_with_weight: float = 0.0, embed=None,
                 asked_clause_weight: float = 0.0, min_note_coverage: float = 0.0, tie_share: float = 0.0):
        self.vocabulary, self.threshold, self.min_coverage, self.coverage_weight = vocabulary, threshold, min_coverage, coverage_weight
        self.passage_weight, self.tie_margin, self.named_margin, self.tie_share = passage_weight, tie_margin, named_margin, tie_share
        self.asked_clause_weight, self.min_note_coverage = asked_clause_weight, min_note_coverage
        self.read_with_weight, self.embed = read_with_weight, embed  # embed: texts -> unit vectors (read_together)
        self.whole_word, self.unheard_min_words = whole_word, unheard_min_words
        # (file, heading path) -> the section's whole text: a table cut over two chunks keeps its header
        # row in the first, and a row of the second is read with it
        self.section_texts = section_texts or {}

    def evidence(self, question: str, context: list, quotes: list, focus: Focus | None = None) -> list[Evidence]:
        focus = focus or self.focus(question)
        total = sum(focus.weights.values()) or 1.0
        judged = self.judged_weight(focus) or total  # what the threshold's share is of (judged_weight)
        context_text = " ".join(p.text + " " + " ".join(p.section) for p in context)
        # the chunks of one note section are one place: it stands where its best chunk does, and
        # says what all its retrieved chunks say
        standing: dict = {}
        said_in: dict = {}
        for p in context:
            key = (p.file, tuple(p.section))
            standing[key] = max(standing.get(key, float("-inf")), p.rank_score if p.rank_score is not None else p.score)
            attributes = " ".join(a for tag in HTML_TAG.findall(p.text) for a in TAG_ATTRIBUTE.findall(tag))
            said_in[key] = said_in.get(key, "") + " " + URL.sub(" ", p.text) + " " + attributes
        top = max(standing.values(), default=0.0)
        places = [place_of(p) + " " + self.introduced_by(p) for p in context]  # once a passage, not once a sentence
        placed: dict = {}  # a passage -> the focus words its place says, found once a passage (Evidence.says)
        section_words: dict = {}  # (lower-cased text, words) of a section and its path, when a path or topic is looked for in it
        folders = self.vocabulary.folders
        listed = None  # the context's sentences, read once and only when a lead-in or a list item needs them
        introducing = where = None  # the lead-ins of lists and code blocks; where each sentence stands in `listed`
        commands_missing: dict = {}  # a section -> the commands typed in the question that it does not show
        task_missing: dict = {}  # a section -> the operation asked and the noun acted on, each when it never names it

        def said_by(t, lower, words, text=""):  # as _covers, or run together with its neighbour in the question
            return _covers(t, lower, words, text) or focus.glued_in(t, lower)

        def named_in(t, lower, text):
            # a name typed capitalised is said as typed, or in another form written capitalised: "Windows"
            # is not a "VSCode window", though "window" is a form of "windows"
            lower, text = EMPHASIS_MARK.sub(" ", plain_letters(lower)), EMPHASIS_MARK.sub(" ", plain_letters(text))  # "_Project Diagnostics_"
            return (not t.isalpha() or focus.glued_in(t, lower) or bool(re.search(r"(?<![\w-])" + re.escape(t) + r"(?=s?\b)", lower))
                    or any(same_word(t, w.lower()) for w in re.findall(r"(?<![\w-])[A-Z][\w'’-]*", text)))

        context_files = {p.file for p in context}
        skipped = left_out(question)  # the checklist boxes that answer nothing here: not done, or done
        options = choice_offered(question)
        found = []
        for support in quotes:
            note, passage = support.note, context[support.note.passage]
            key = (passage.file, tuple(passage.section))
            if note.text.rstrip().endswith("?") and not NAMED_ITEM.match(note.text) or says_nothing(note):
                continue  # a note sentence that asks, only points elsewhere or is a lone word of code answers nothing
            if skipped is not None and skipped.match(note.text):
                continue  # "- [ ] Crown Prince squash" was not among the seeds I ordered; "- [x] 10 km continuous" is not left to do
            if not claims(note.text, question, note.code) and not TICKED.match(note.text):
                # one that restates the question answers nothing, unless it leads into what does: "A pull
                # request is _author ready_ when:" above the list of conditions (quoted with it, answer_span);
                # a task ticked says it was done ("DONE renew the parking permit", asked when I renewed it)
                if introducing is None and note.text.rstrip().endswith(":"):
                    listed = note_sentences(context) if listed is None else listed
                    introducing = lead_ins(listed)
                if (note.passage, note.text) not in (introducing or ()):
                    continue
            place, header = places[note.passage], ""
            if note.parent:  # a nested item is read under the item above it, as a section under its heading
                place += " " + URL.sub(" ", note.parent)
            if note.text.lstrip().startswith("|"):  # a table's row is read with its header: "| Mock Error Codes |" names its cells
                header = table_header(passage.text, note.text) or table_header(self.section_texts.get(key, ""), note.text)
                place += " " + header
            # a link's target names no topic of the sentence, but an address a line of code calls is what it does
            unlinked = LINK.sub if note.code else URL.sub
            text = unlinked(" ", note.text)
            said = text + " " + place
            own = set(content_words(text))  # the sentence's words apart: what it says itself (Evidence.says)
            words, said_lower = own | set(content_words(place)), said.lower()
            covered = sum(weight for w, weight in focus.weights.items() if focus.found(w, words) or focus.glued_in(w, said_lower)
                          or w in focus.head and w in NAMED_BY_SHAPE and shown_by_shape(w, note.text))
            # a name may stand in the sentence before ("DALL-E ... The default value is 0.7.")
            beside = unlinked(" ", note.window) + " " + place + " " + URL.sub(" ", note.lead)
            # "... performs better than GPT-3" is about another model, not GPT-3
            nearby = beside if COMPARES.search(question) else BASELINE.sub(" ", beside)
            near_lower, near_words = nearby.lower(), set(content_words(nearby))
            shapes = nearby + " " + note.window  # links kept: an address is a URL's shape
            missing = [t for t in focus.required if not (said_by(t, near_lower, near_words, nearby) and (t not in focus.capitals or named_in(t, near_lower, nearby)))
                       and not shown_by_shape(t, shapes)]
            # "Pino" asked of pino's docs names no place in them, and `pino.destination` is "a destination"
            missing = [t for t in missing if not self.vocabulary.subject(t)
                       and not ((member := self.vocabulary.member(t)) and _covers(member, near_lower, near_words))]
            # a path, command, flag, name of code or topic names the note it is in, and any name a note of
            # one section says is what all of it is about: covered wherever in the section it stands. Not
            # for a table's row, a record of its own: the row of the vet who left ("| Anika Sorensen |
            # vet | anika@... |") gives no e-mail of the one named in another row
            whole_note = passage.file in self.vocabulary.one_section and not note.text.lstrip().startswith("|")

            def anywhere(t):  # covered wherever it stands in the section, not only beside the sentence
                return whole_note or CODE_LIKE.search(t) or t in focus.identifiers or t in self.vocabulary.code_names or t in folders or self.vocabulary.common(t)

            if any(anywhere(t) for t in missing):
                if key not in section_words:
                    whole_text = said_in[key] + " " + place
                    section_words[key] = (whole_text.lower(), set(content_words(whole_text)), whole_text)
                whole = section_words[key]
                missing = [t for t in missing if not (anywhere(t) and said_by(t, *whole))]
            if focus.required and not any(focus.found(w, own) for w in focus.weights):
                # a sentence that says none of the question's words itself takes a name asked for from its
                # place (heading path, list lead-in) or a neighbour that tells, not from one that asks: "is
                # PKC activated by DAG alone ...? (slide says both)" does not tell how JAK-STAT signalling
                # works because the item below it asks "JAK-STAT — slide 30, skipped, examinable?"; "Reg
                # **KX17 VRD**." still gives the reg of the "2017 Skoda Octavia estate" in the line above
                told = " ".join(n for n in (note.before, note.after) if not n.rstrip().endswith("?"))
                bare = said + " " + URL.sub(" ", note.lead + " " + told)
                bare_lower, bare_words = bare.lower(), set(content_words(bare))
                missing += [t for t in focus.required if t not in missing and not anywhere(t) and not self.vocabulary.subject(t)
                            and not said_by(t, bare_lower, bare_words, bare) and not shown_by_shape(t, bare)]
            # the noun asked about may stand in the sentence beside ("The tasks are executed in order. In case
            # one of the tasks raises ..." answers in what order they run), but a count counts it in its own
            head_said, head_words, head_text = (said_lower, words, said) if focus.kind == "number" else (near_lower, near_words, nearby)
            if note.item >= 0 and focus.head:
                # a list names what its items are in the line above it ("The currently supported events
                # are:" above "`tracing:pino_asJson:end`: emitted at the end of ..."), not in each item
                if where is None:
                    listed = note_sentences(context) if listed is None else listed
                    where = {(n.passage, n.text): k for k, n in enumerate(listed)}
                at = where.get((note.passage, note.text))
                above = " ".join(n.text for n in list_lead_ins(listed, at)) if at is not None else ""
                head_said, head_words, head_text = head_said + " " + above.lower(), words | set(content_words(above)), head_text + " " + above
            missing += [t for t in focus.head if not _covers(t, head_said, head_words, head_text) and not (t in PLACES and PATH.search(text))
                        and not shown_by_shape(t, shapes)
                        and not (t == "code" and CODE_NUMBER_ASKED.search(question) and NUMBER.search(text))]
            # a command typed in the question names the section that shows it, as written there
            if focus.commands and key not in commands_missing:  # the same for every sentence of the section
                shown = said_in[key].lower()
                commands_missing[key] = [c for c in focus.commands if not re.search(r"(?<![\w-])" + re.escape(c).replace(r"\ ", r"\s+") + r"(?![\w-])", shown)]
            missing += commands_missing.get(key, [])
            if (focus.operation or focus.acted_on) and key not in task_missing:  # the same for every sentence of the section
                whole = (self.section_texts.get(key) or said_in[key]) + " " + place
                task_missing[key] = [focus.operation] if focus.operation and not names_operation(focus.operation, whole) else []
                if focus.acted_on:
                    whole_lower, whole_words = whole.lower(), set(content_words(whole))
                    if not any(said_by(t, whole_lower, whole_words, whole) for t in focus.acted_on):
                        task_missing[key] += focus.acted_on[:1]
            missing += task_missing.get(key, [])
            if options and not any(said_by(o, near_lower, near_words, nearby) or clipped(o, near_words) for o in options):
                # offered a choice ("vivid or natural"), a sentence that names neither option chooses nothing
                missing.append(" or ".join(options))
            if focus.bound and not BOUND.search(beside):  # a limit asked for: the sentence or one beside it states one (comparisons kept)
                missing.append(focus.bound)
            # the header says what a row's cells are: "| Title | Author |" above "| Piranesi | Susanna Clarke |"
            # answers who wrote Piranesi
            kind_ok = has_kind(focus.kind, f"{header}\n{note.text}" if header else note.text, context_text, question, note.window, note.code)
            if not kind_ok and focus.kind in ("number", "value"):
                # "**statusCodes** `number[]` - Array of HTTP status codes to retry. Default: `[429, 500]`":
                # a setting's default follows its description as a sentence of its own
                kind_ok = bool(DEFAULT_AFTER.match(note.after)) and has_kind(focus.kind, note.after, context_text, question)
            if not kind_ok and focus.kind == "date" and covered >= total:
                # a day's note dates what it tells by its heading or file name ("Tuesday 3 November",
                # daily/2026-11-03.md): "when did I renew the car insurance?" is answered by its line,
                # when that line says all the question asks of ("when is Tom's birthday?" is not
                # answered by the day's "Dinner with Tom")
                kind_ok = has_kind("date", place, context_text, question)
            if focus.other:
                kind_ok = kind_ok and names_another(focus.other, text, question)
            coverage = covered / total
            score = support.similarity + self.coverage_weight * covered / judged
            order = support.similarity + self.coverage_weight * coverage + self.passage_weight * (standing[key] - top)
            if not note.code and ("](" in note.text or "[[" in note.text) and self.names_elsewhere(note.text, passage.file, context_files, focus):
                order -= ELSEWHERE_PENALTY
            if support.clause_similarity is not None:  # ordered by what is asked, not by the asker's setting
                order += self.asked_clause_weight * (support.clause_similarity - support.similarity)
            if note.passage not in placed:
                placed[note.passage] = {w for w in focus.weights if focus.found(w, set(content_words(places[note.passage])))}
            says = {w: weight for w, weight in focus.weights.items() if w not in placed[note.passage] and focus.found(w, own)}
            # "You can also pass a `chat_mode` argument to `from_llamacpp`. If `True` (default), the model
            # will ...": the sentence that answers reads the name from the one before, and alone names nothing
            named_before = False
            unsaid = [t for t in focus.required if not said_by(t, said_lower, words, said)]
            if unsaid and (before := URL.sub(" ", note.before)).strip():  # the sentence before read once, and only when a name is not said
                before_lower, before_words = before.lower(), set(content_words(before))
                named_before = any(said_by(t, before_lower, before_words, before) for t in unsaid)
            found.append(Evidence(support, coverage, missing, kind_ok, score, order, says, named_before))
        found.sort(key=lambda e: -e.order)
        return self.read_together(question, found, context)

    @staticmethod
    def names_elsewhere(text: str, file: str, files: set, focus: Focus) -> bool:
        """Whether the sentence says some of the question's words only in the text of a link to another
        note among `files` (the retrieved ones): "In [Set Session-Specific Environment Variables](set-session-
        specific-environment-variables.md), I showed how ..." points to the note that answers."""
        folder = posixpath.dirname(file)
        linked = [m.group(1) for m in NOTE_LINK.finditer(text) if posixpath.normpath(posixpath.join(folder, m.group(2))) in files]
        # a wiki link names a note by its file's name: [[Boiler]], [[Boiler|the boiler page]], [[Boiler#Pressure]]
        stems = {posixpath.splitext(posixpath.basename(f))[0].lower() for f in files}
        linked += [m.group(2) or m.group(1) for m in WIKILINK.finditer(text) if m.group(1).split("#")[0].strip().rsplit("/", 1)[-1].lower() in stems]
        if not linked:
            return False
        rest = set(content_words(WIKILINK.sub(" ", NOTE_LINK.sub(" ", text))))
        named = set(content_words(" ".join(linked)))
        return any(focus.found(w, named) and not focus.found(w, rest) for w in focus.weights)

    def introduced_by(self, passage) -> str:
        """The lead-in ending the section above a passage's own, when that section's text ends in one:
        "... here are sample evaluations developed by OpenAI for evaluating AI behaviors from a number of
        angles:" names what the sections below it ("Persuasion", "Steganography") list. And the lead-in
        of the list a passage opens inside of: a chunk cut between two items ("- **Safety System**. A
        safety system is ...") stands under "We can look at this in 4 different layers:", in the chunk
        before, which names what its items are."""
        said = []
        if len(passage.section) >= 2:
            said.append(lead_in_ending(self.section_texts.get((passage.file, tuple(passage.section[:-1])), "")))
        if LIST_ITEM.match(passage.text):
            whole = self.section_texts.get((passage.file, tuple(passage.section)), "")
            at = whole.find(passage.text)
            if at > 0:
                said.append(lead_in_ending(list_above(whole[:at])))
        return " ".join(s for s in said if s)

    def strays(self, focus: Focus, passage, found: dict) -> bool:
        """Whether the passage is a note of one section that, all of it (headings and file name
        included), says less than `min_note_coverage` of the question's weight (of the words the notes
        use): a note on one task of a tool asked about another ("sparse checkout" of the note on
        checking out files from a stash). `found` gathers each such note's unsaid words, heaviest first."""
        if passage.file not in self.vocabulary.one_section:
            return False
        if passage.file not in found:
            words = set(content_words((self.section_texts.get((passage.file, tuple(passage.section))) or passage.text) + " " + place_of(passage)))
            # a word no note uses (a typo, "stahs"; the asker's own word) no note could say
            known = {w: v for w, v in focus.weights.items() if self.vocabulary.knows(w)}
            unsaid = sorted((w for w in known if not focus.found(w, words)), key=lambda w: -known[w])
            share = 1.0 - sum(known[w] for w in unsaid) / sum(known.values()) if known else 1.0
            found[passage.file] = unsaid if share < self.min_note_coverage else None
        return found[passage.file] is not None

    def read_together(self, question: str, found: list[Evidence], context: list) -> list[Evidence]:
        """The sentences of the best one's section reordered by how well each answers read after the
        sentence before it (cosine to the question of the two joined; `read_with_weight` x its gain over
        the sentence alone): the one that says how ("For that situation I can tack on the
        `--no-cli-pager` flag.") follows the one that says what is wanted, and alone sounds like nothing
        the question asks. The best sentence and its section stay first: the gain only orders what is
        quoted beside it, never which section answers or whether any does. Only that section's
        sentences are embedded again, so the cost stays that of one section."""
        if len(found) < 2 or not self.read_with_weight or self.embed is None:
            return found
        home = context[found[0].support.note.passage]
        notes = note_sentences(context)
        where = {(n.passage, n.text): k for k, n in enumerate(notes)}
        pairs = []  # (evidence, the sentence before it joined with it)
        for e in found[1:]:
            note, passage = e.support.note, context[e.support.note.passage]
            at = where.get((note.passage, note.text))
            if (passage.file, passage.section) != (home.file, home.section) or not at or note.code or e.order < found[0].order - READ_WITH_REACH:
                continue
            before = notes[at - 1]
            if before.passage == note.passage and not before.code:
                pairs.append((e, before.text + " " + note.text))
        if not pairs:
            return found
        vectors = self.embed([question] + [joined for _, joined in pairs])
        for (e, _), vector in zip(pairs, vectors[1:]):
            e.order += self.read_with_weight * max(0.0, float(vectors[0] @ vector) - e.support.similarity)
        return found[:1] + sorted(found[1:], key=lambda e: -e.order)

    def focus(self, question: str) -> Focus:
        """focus_of the question, less the compounds that are the asker's wording: one the notes never
        write, of words the embedder knows whole and the notes use apart ("one-file", "user-level"), is
        a paraphrase, weighed with the question's other words but not demanded. A compound the notes
        write ("zero-shot") is their term, one of a word they never use ("self-attention" over notes
        without "attention") names what they do not cover, and a name ("Phi-3-mini") is no such word."""
        focus = focus_of(question, self.vocabulary)
        if self.whole_word is not None:
            focus.required = [t for t in focus.required if not self.paraphrased(t)]
        if self.few_words:
            # notes of a few hundred words ("Which business *tasks* can generative AI automate?" over
            # notes that never say "task") cannot be held to the asker's noun: as for unheard_terms,
            # half the real questions over them use some word they lack; but a noun asked about that is
            # no ordinary word ("how much *ibuprofen* can I take?" over notes on cetirizine) names a thing
            # they never mention, and a measure asked for ("what *temperature* do I fry the onion at?")
            # is said by its unit without the word (SHOWN_BY_SHAPE: "170 °C"), not by "for 5 minutes"
            rare = unheard_terms(focus, self.vocabulary, self.whole_word, 0)
            asked = focus_of(question).head if rare else []  # the noun as asked, before the notes' words filter it
            focus.head = [w for w in focus.head if self.vocabulary.knows(w) or w in SHOWN_BY_SHAPE] + [w for w in asked if w in rare]
        if focus.acted_on and not self.vocabulary.knows(focus.acted_on[0]) and (self.few_words or self.whole_word is None or not self.whole_word(focus.acted_on[0])):
            # a noun acted on that the notes never use (acted_on) is held against notes of many words
            # only, and only when it is an ordinary word (one the embedder's tokenizer keeps whole,
            # "seed"): a clipped or local one ("the rads", "the combi") may be the asker's name for
            # what the notes call otherwise, a name they never use is unheard_terms' to refuse, and
            # of a few hundred words, half the questions use some word they lack
            focus.acted_on = []
        return focus

    @property
    def few_words(self) -> bool:
        """Whether the notes have fewer than `unheard_min_words` distinct words: too few to hold a
        question to a word they never use (focus, judged_weight; unheard_terms has its own test)."""
        return len(self.vocabulary.words) < self.unheard_min_words

    def judged_weight(self, focus: Focus) -> float | None:
        """Over notes of fewer than `unheard_min_words` words, the question's weight the threshold's
        share is of, each word weighing at most as one of theirs in a single chunk: a word they never
        use ("what did the 2000s *bring*?") no sentence of theirs can cover, and over a few chunks its
        smoothed rarity (log 16 over the default notes' 7 against log 5.3 for their rarest) says
        little; as the noun asked about (focus) it is not held against them. Weighing it not at all
        put near misses over the default notes at 0.56-0.96 ("Who invented GANs?" 0.64 -> 0.96),
        refused then by other rules alone; so it is 0.71. Which sentences answer first is not
        changed. None for larger notes."""
        if not self.few_words:
            return None
        rarest = math.log((self.vocabulary.count + 1) / 1.5)  # the weight of a word of theirs in one chunk
        return sum(min(v, rarest) for v in focus.weights.values()) or None

    def paraphrased(self, term: str) -> bool:
        """Whether a required term is a compound of the asker's wording (focus)."""
        if not COMPOUND.fullmatch(term) or self.vocabulary.knows(term) or self.vocabulary.knows(term.replace("-", "")):
            return False
        parts = term.split("-")
        return all(self.whole_word(p) for p in parts) and all(self.vocabulary.chunks_with(w) >= PARAPHRASE_MIN_CHUNKS for w in content_words(" ".join(parts)))

    def tied_notes(self, context: list) -> tuple[str, str] | None:
        """The best note and the runner-up, when the best is a note of one section (a TIL note: one
        answer per note) and another note ranks within `tie_margin` of it. Notes like those answer a
        question that says what they say; one that asks another feature of the same tool ("how do i
        delete all the dangling docker images") finds two notes on the tool ranked alike. Only in
        notes made of such notes (`tie_share` of them or more): in a vault of longer notes, one of a
        section is a day's entry or a short page, and another ranked alike is chance."""
        if self.tie_margin <= 0 or len(self.vocabulary.one_section) < self.tie_share * self.vocabulary.notes:
            return None
        standing: dict = {}
        titles: dict = {}
        for p in context:
            standing[p.file] = max(standing.get(p.file, float("-inf")), p.rank_score if p.rank_score is not None else p.score)
            titles.setdefault(p.file, PART_OF_SERIES.sub("", p.section[-1] if p.section else "").strip().lower())
        ranked = sorted(standing, key=lambda f: -standing[f])
        if len(ranked) < 2 or ranked[0] not in self.vocabulary.one_section:
            return None
        if titles[ranked[0]] and titles[ranked[0]] == titles[ranked[1]]:
            return None  # "Clear The Screen In psql" and its "(2)": one topic written twice, not two answers to choose from
        return (ranked[0], ranked[1]) if standing[ranked[0]] - standing[ranked[1]] < self.tie_margin else None

    def decide(self, question: str, context: list, quotes: list, threshold: float | None = None, topic: str | None = None) -> Decision:
        """Whether the note sentences answer `question`, and which. `topic`: for a follow-up, the note
        the conversation is about (the one its previous question finds first): tied with another
        note (tied_notes), it answers alone."""
        threshold = self.threshold if threshold is None else threshold
        focus = self.focus(question)
        candidates = self.evidence(question, context, quotes, focus)
        if not candidates:
            return Decision(False, "nothing in the notes is close to the question", focus)
        unheard = told_apart(unheard_terms(focus, self.vocabulary, self.whole_word, self.unheard_min_words), focus, question)
        if unheard:
            return Decision(False, f"your notes never mention {as_typed(unheard, question)}", focus, [], candidates[0], threshold)
        choice = CHOICE.search(question)
        if choice and not any(self.vocabulary.knows(w) or self.vocabulary.writes_clipped(w) for o in choice.groups() for w in content_words(o)):
            # "..., nvm or volta?": notes that name neither cannot choose between them
            return Decision(False, f"your notes never mention {choice.group(1)!r} or {choice.group(2)!r}", focus, [], candidates[0], threshold)
        # asked why, or what something is or does, a line of code is no candidate: it explains nothing
        prose_only = explains_only(question, focus)
        prose = [e for e in candidates if not (prose_only and e.support.note.code)]
        if not prose:
            return Decision(False, "only lines of code come close: they show it in use and explain nothing", focus, [], candidates[0], threshold)
        answering = [
            e for e in prose
            if not e.missing and e.has_kind and e.coverage >= self.min_coverage and e.score >= threshold
            and not steers(e.support.note)
        ]
        if answering and self.min_note_coverage > 0:
            strays = {}  # a note -> the question's words it never says, when they are most of the question
            on_topic = [e for e in answering if not self.strays(focus, context[e.support.note.passage], strays)]
            if not on_topic:
                file, unsaid = next(iter(strays.items()))
                return Decision(False, f"the closest note ({file}) is about something else: it never mentions {as_typed(unsaid[:4], question)}",
                                focus, [], answering[0], threshold)
            answering = on_topic
        if answering and self.whole_word is not None and not self.few_words:
            # "How much did I pay into my *pension* last year?" over notes that never say "pension": a
            # budget line close in sound ("In: aim for £2,600/month after the 30% tax pot.") says none of
            # the question's words, and an ordinary word the notes never use (not unheard_terms', which
            # leaves ordinary words alone as paraphrases) is then what they do not cover. So is one that
            # names the thing asked for (Focus.asked), beside whatever else the sentence says: "What's
            # the *chassis* number on the Octavia?" over a note on the Octavia that gives its reg. A
            # thing said by its shape ("what voltage ...?": "14.3 V") needs no word.
            foreign = [w for w in focus.words if not shape_named(w) and self.vocabulary.never_writes(w, focus.relatives)]
            if answering[0].coverage > 0:
                foreign = [w for w in foreign if w in focus.asked]
            if foreign:
                return Decision(False, f"your notes never mention {as_typed(foreign, question)}", focus, [], answering[0], threshold)
        if answering and focus.kind != "todo":
            # the notes say themselves that they lack it: the answer, or a sentence that names all the question
            # asks of and more of it than the answer does, marks it unknown ("NVMe serial — didn't write it
            # down" beside "Serial of the box: CQ7-24-0081936", asked the NVMe drive's serial) or says where
            # it is written instead ("number's in my phone", kept_elsewhere)
            marked = ((e, lacking(e.support.note.text, focus, question))
                      for e in prose if not e.missing and (e is answering[0] or e.coverage > answering[0].coverage))
            unknown, how = next(((e, how) for e, how in marked if how), (None, None))
            said = unknown.support.note.text if unknown is not None else ""
            if unknown is None and marks_unknown(answering[0].support.note.after, focus, TASK_MARK, answering[0].support.note.text):
                # or the sentence after the answer, quoted with it, of a thing the answer does not name: "30 Aug —
                # Friendly H v Holme Lea." then "Lost. (score not logged, see ...)", asked the friendly's final
                # score ("Serial of the box: CQ7-24-0081936" before "NVMe serial — didn't write it down" gives one)
                unknown, how = answering[0], "unknown"
                said = unknown.support.note.text + unknown.support.note.after
            if unknown is not None:
                said = said.strip()
                said = said if len(said) <= UNKNOWN_QUOTED else said[:UNKNOWN_QUOTED - 1].rstrip() + "…"
                told = "where it is kept, not what it is" if how == "kept" else "it is not known"
                return Decision(False, f"your notes say {told}: “{said}”", focus, [], unknown, threshold)
        tie = self.tied_notes(context) if answering else None
        on_topic = [e for e in answering if context[e.support.note.passage].file == topic] if tie and topic in tie else []
        if on_topic:
            # "what happens if someone passes it two?" after a question about one child of a React
            # component: answered by the note on that, and by it alone, not by the one tied with it
            answering, tie = on_topic, None
        if tie:
            return Decision(False, f"two notes fit the question about equally ({tie[0]}, {tie[1]}) and neither stands out as its answer", focus, [], answering[0], threshold)
        if answering:
            # "Which tokenizer does Mistral NeMo use?" asks for a tokenizer by name: a sentence that names
            # one ("uses the Tekken tokenizer") comes before those that only talk about tokenizers
            if focus.head:
                named = [e for e in answering if names_one(e.support.note.text, focus.head, question)]
            else:  # "Which jq flag reads a file into a variable?" asks for a flag by name: "the `--slurpfile` flag"
                asked = [m.group(1).lower() for m in ASKED_CODE_NOUN.finditer(question)][:1]
                named = [e for e in answering if e.order >= answering[0].order - self.named_margin and names_one(e.support.note.text, asked, question)]
            if named:
                answering = named + [e for e in answering if e not in named]
            elif answering[0].coverage < SAYS_LITTLE:
                # "How is generative AI used in science?" over notes that say "generative AI" in every
                # chunk: the definition sounds closest and says only those two words, the list item
                # "Science & Research: Drug discovery, ..." says them all and answers first
                said = [e for e in answering if e.coverage >= SAYS_MOST]
                if said:  # and those that say as little answer nothing beside them
                    answering = said + [e for e in answering if e not in said and e.coverage >= SAYS_LITTLE]
            if LATEST_ASKED.search(question) and not UPDATED.search(answering[0].support.note.text):
                # "What rate ... is the Weavers mortgage on now?": a line that strikes the old value out
                # and writes the new one ("~~5.34%, £660.83~~ → 5.09%, £629.89") says how it stands,
                # before a line as close to the question that says none of it changed
                updated = next((e for e in answering if UPDATED.search(e.support.note.text) and e.coverage >= answering[0].coverage), None)
                if updated is not None:
                    answering = [updated] + [e for e in answering if e is not updated]
            return Decision(True, None, focus, answering, answering[0], threshold)
        # the refusal explains the candidate nearest to answering: a sentence that names everything the
        # question does but scores too low, before a closer-sounding one that misses a name
        best = next((e for e in prose if not e.missing and e.has_kind), next((e for e in prose if not e.missing), prose[0]))
        if best.missing:
            reason = f"no passage mentions {', '.join(repr(m) for m in best.missing)}"
        elif not best.has_kind:
            asked = KIND_SAID.get(focus.kind) or (f"a {focus.kind}" if focus.kind else f"something other than {focus.other}")
            reason = f"the question asks for {asked} that the closest note sentences do not give"
        elif steers(best.support.note) and best.score >= threshold:
            reason = "the closest note sentence gives orders to an AI, and is not taken as an answer"
        else:
            # rounded down: a score of 0.4996 under 0.50 reads "0.49 < 0.50", not "0.50 < 0.50"
            reason = f"the closest note sentence is beside the point (evidence {math.floor(best.score * 100) / 100:.2f} < {threshold:.2f})"
        return Decision(False, reason, focus, [], best, threshold)


# Words the calibration swaps in for a question's focus word to make a near miss: ordinary words
# of other trades, so a question about one is about something the notes do not cover. The first
# ones the notes never use are taken.
STRANGERS = (
    "walrus marzipan tachyon kumquat zeppelin obsidian gazebo quasar trombone saffron glacier falconry porcelain "
    "sonar tapestry origami lacrosse mongoose harpsichord nebula papyrus tundra"
).split()


@dataclass
class Calibration:
    threshold: float | None  # None when the notes are too few to calibrate on
    positives: list[float]  # evidence scores of questions made from the notes
    near_misses: list[float]  # evidence scores of the same questions with the focus word swapped out


def synthetic_questions(sections: list, vocabulary: Vocabulary, limit: int = 40) -> list[tuple[str, str]]:
    """(question, near miss) pairs made from the notes: a section's heading asked about ("What do my
    notes say about set default branch name for new repos?"), and a question about something of that
    topic the notes never name ("What is the walrus of set default branch name for new repos?"), the
    shape of a real near miss ("What license is Llama 3.1 released under?"). Sections are taken
    evenly through the notes, deterministically."""
    usable = [s for s in sections if s.text and s.path and content_words(s.path[-1]) and len(content_words(s.text)) >= 6]
    strangers = [w for w in STRANGERS if not vocabulary.knows(w)]
    if not usable or not strangers:
        return []
    step = max(1, len(usable) // limit)
    pairs = []
    for n, section in enumerate(usable[::step][:limit]):
        topic = re.sub(r"[^\w\s'’.-]", " ", section.path[-1]).strip().lower()
        stranger = strangers[n % len(strangers)]
        pairs.append((f"What do my notes say about {topic}?", f"What is the {stranger} of {topic}?"))
    return pairs


def choose_threshold(positives: list[float], near_misses: list[float]) -> float | None:
    """The score that best separates the two groups (most correct on both sides; the middle of the
    best interval), or None when there is too little to go on."""
    if len(positives) < 5 or len(near_misses) < 5:
        return None
    values = sorted(set(positives + near_misses))
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:])] or values
    def correct(t):
        return sum(p >= t for p in positives) / len(positives) + sum(n < t for n in near_misses) / len(near_misses)
    best = max(correct(t) for t in cuts)
    tied = [t for t in cuts if correct(t) == best]
    return round((tied[0] + tied[-1]) / 2, 4)


def calibrate(sections: list, score, vocabulary: Vocabulary | None = None, limit: int = 40) -> Calibration:
    """Evidence scores of questions made from the notes and of their near misses, and the threshold
    between them. `score(question)` is the best evidence score the pipeline finds for a question
    (0 when no sentence covers its focus)."""
    vocabulary = vocabulary or Vocabulary([s.text + " " + " ".join(s.path) for s in sections])
    pairs = synthetic_questions(sections, vocabulary, limit)
    positives = [score(q) for q, _ in pairs]
    near = [score(n) for _, n in pairs]
    return Calibration(choose_threshold(positives, near), positives, near)
