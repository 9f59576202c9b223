"""A module's text and what ``ast`` leaves out of its tree: character columns (``ast`` counts
UTF-8 bytes), the source of a node with its own parentheses, comments, and the default indent."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_right
from typing import Optional, Protocol

from fixlint.facts.model import Span

NEWLINE_RE = re.compile(r"\r\n|\r|\n")
STRING_PREFIX_RE = re.compile(r"[rRbBuUfF]*")
MATCH = getattr(ast, "Match", ())  # Python 3.10+
# Tokens that may hold a line break of the source: strings, and f-string text from Python 3.12.
STRING_TOKENS = {tokenize.STRING, *([tokenize.FSTRING_MIDDLE] if hasattr(tokenize, "FSTRING_MIDDLE") else [])}


class Positioned(Protocol):
    """A node with a place in the source (``ast.expr``, ``ast.stmt``, ``ast.arg``, ``ast.keyword``...):
    ``ast.AST`` itself declares no position."""

    @property
    def lineno(self) -> int: ...
    @property
    def col_offset(self) -> int: ...
    @property
    def end_lineno(self) -> Optional[int]: ...
    @property
    def end_col_offset(self) -> Optional[int]: ...


def string_prefix(code: str) -> str:
    """The prefix of a string literal's source (``rb``, ``f``...), "" for none."""
    match = STRING_PREFIX_RE.match(code)
    return match.group() if match else ""


def _end(node: Positioned) -> tuple[int, int]:
    """(line, byte column) where a node ends: ``ast.parse`` sets both on every node with a place."""
    end_lineno, end_col_offset = node.end_lineno, node.end_col_offset
    if end_lineno is None or end_col_offset is None:
        raise ValueError(f"{type(node).__name__} node without an end position")
    return end_lineno, end_col_offset


class SourceMap:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [match.end() for match in NEWLINE_RE.finditer(text)]
        self._comments: Optional[list[tuple[int, int, int, str]]] = None
        # The string literals: (start, end) offsets, first and last lines; sorted.
        self._literals: Optional[list[tuple[int, int, int, int]]] = None

    # -- positions ---------------------------------------------------------------------
    def line(self, lineno: int) -> str:
        start = self.line_starts[lineno - 1]
        end = self.line_starts[lineno] if lineno < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def column(self, lineno: int, byte_column: int) -> int:
        """0-based character column of a UTF-8 byte column."""
        line = self.line(lineno)
        if line.isascii():
            return byte_column
        return len(line.encode("utf-8")[:byte_column].decode("utf-8", "replace"))

    def offset(self, lineno: int, byte_column: int) -> int:
        return self.line_starts[lineno - 1] + self.column(lineno, byte_column)

    def span(self, node: Positioned) -> Span:
        end_lineno, end_col_offset = _end(node)
        return Span(
            node.lineno,
            self.column(node.lineno, node.col_offset) + 1,
            end_lineno,
            self.column(end_lineno, end_col_offset) + 1,
        )

    def position(self, offset: int) -> tuple[int, int]:
        """(line, 1-based column) of a character offset."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def bounds(self, node: Positioned) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(*_end(node))

    def segment(self, node: Positioned) -> str:
        start, end = self.bounds(node)
        return self.text[start:end]

    def code(self, node: Positioned, floor: int = -1, indent: str = "") -> str:
        """The node's source as LibCST's ``code_for_node`` gives it: with the parentheses
        around it (a parenthesis at or before ``floor`` is not the node's but a call's own), and
        its continuation lines without the ``indent`` of the block it stands in."""
        start, end = self.bounds(node)
        text = self.text
        if start == floor and isinstance(node, ast.GeneratorExp):
            # ``f(x for x in y)``: ``ast`` gives it the call's parentheses
            start, end = _skip_space(text, start + 1), _skip_space_back(text, end - 1)
        while True:
            before = _skip_space_back(text, start)
            after = _skip_space(text, end)
            if before - 1 <= floor or text[before - 1 : before] != "(" or text[after : after + 1] != ")":
                break
            start, end = before - 1, after + 1
        code = text[start:end]
        if not indent or ("\n" not in code and "\r" not in code):
            return code
        return _dedented(code, indent)

    def indent_of(self, node: Positioned) -> str:
        """The indentation of the line a statement starts on."""
        line = self.line(node.lineno)
        return line[: len(line) - len(line.lstrip(" \t\f"))]

    def starts_line(self, node: Positioned) -> bool:
        """Nothing but indentation stands before the node on its line."""
        return not self.line(node.lineno)[: self.column(node.lineno, node.col_offset)].strip()

    # -- string literals ---------------------------------------------------------------
    def literal_parts(self, node: Positioned) -> Optional[list[str]]:
        """The source of each literal of an implicit concatenation (``"a" "b"``); None for one."""
        code = self.segment(node)
        body = code[len(string_prefix(code)) :]
        quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
        inner = body[len(quote) : -len(quote)]
        if len(body) >= 2 * len(quote) and body.endswith(quote) and "\\" not in inner and quote not in inner:
            return None
        parts = [token.string for token in _tokens("(" + code + ")") if token.type == tokenize.STRING]
        return parts if len(parts) > 1 else None

    def quote(self, node: Positioned) -> str:
        code = self.segment(node)
        body = code[len(string_prefix(code)) :]
        return body[:3] if body[:3] in ('"""', "'''") else body[:1]

    # -- comments ----------------------------------------------------------------------
    def comments(self) -> list[tuple[int, int, int, str]]:
        """(offset, line, 1-based column, text) of every comment, read once, on demand."""
        if self._comments is None:
            self._comments = [
                (
                    self.line_starts[token.start[0] - 1] + token.start[1],
                    token.start[0],
                    token.start[1] + 1,
                    token.string,
                )
                for token in _tokens(self.text)
                if token.type == tokenize.COMMENT
            ]
        return self._comments

    def has_comment(self, start: int, end: int, module: ast.Module) -> bool:
        """Whether a comment stands between two offsets of the text, whose tree is ``module``."""
        index = self.text.find("#", start, end)
        while index != -1:
            literal = self._literal_at(index, module)
            if literal is None:  # a ``#`` outside every string literal starts a comment
                return True
            if literal[0] != literal[1]:  # literals of several lines may hold a comment between them
                return any(start <= offset < end for offset, _, _, _ in self.comments())
            index = self.text.find("#", index + 1, end)
        return False

    def _literal_at(self, offset: int, module: ast.Module) -> Optional[tuple[int, int]]:
        """The (first, last) lines of the string literal that holds an offset; None outside them."""
        if self._literals is None:
            literals = []
            pending: list[ast.AST] = [module]
            while pending:
                node = pending.pop()
                # An f-string is one literal: the places ``ast`` gives its parts are not theirs before 3.12.
                if isinstance(node, ast.JoinedStr) or (
                    isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
                ):
                    literals.append((*self.bounds(node), node.lineno, _end(node)[0]))
                else:
                    pending.extend(ast.iter_child_nodes(node))
            self._literals = sorted(literals)
        index = bisect_right(self._literals, (offset, len(self.text) + 1)) - 1
        if index < 0 or not self._literals[index][0] <= offset < self._literals[index][1]:
            return None
        return self._literals[index][2:]

    def indent_is_tab(self, module: ast.Module) -> bool:
        """Whether the first indented block is indented with a tab: LibCST's ``default_indent``."""
        first = _first_indented(module.body, self)
        return first is not None and self.line(first.lineno).startswith("\t")


def _first_indented(statements: list, source: SourceMap) -> Optional[Positioned]:
    for statement in statements:
        if statement.col_offset and source.starts_line(statement):
            return statement
        if isinstance(statement, MATCH):
            return statement.cases[0].pattern  # ``case`` opens the first indented line
        for block in _blocks(statement):
            found = _first_indented(block, source)
            if found is not None:
                return found
    return None


def _blocks(statement: ast.AST) -> list[list]:
    """The statement lists of a compound statement, in source order."""
    blocks = [getattr(statement, "body", None)]
    blocks += [handler.body for handler in getattr(statement, "handlers", ())]
    blocks += [getattr(statement, "orelse", None), getattr(statement, "finalbody", None)]
    return [block for block in blocks if isinstance(block, list)]


def _dedented(code: str, indent: str) -> str:
    """Continuation lines without the block's indent, but for lines inside a string literal."""
    inside_strings = {
        line
        for token in _tokens("(" + code + ")")
        if token.type in STRING_TOKENS
        for line in range(token.start[0] + 1, token.end[0] + 1)
    }
    lines = NEWLINE_RE.split(code)
    endings = [match.group() for match in NEWLINE_RE.finditer(code)] + [""]
    kept = []
    for number, (line, ending) in enumerate(zip(lines, endings), start=1):
        # After a backslash continuation the whitespace is the line's own.
        continued = number > 1 and lines[number - 2].endswith("\\")
        if number > 1 and number not in inside_strings and not continued and line.startswith(indent):
            line = line[len(indent) :]
        kept.append(line + ending)
    return "".join(kept)


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    """The tokens up to the first that ``tokenize`` reads otherwise than the compiler does."""
    tokens: list[tokenize.TokenInfo] = []
    # Universal newlines, so that a lone ``\r`` ends a line for tokenize as it does for ``ast``.
    try:
        tokens.extend(tokenize.generate_tokens(io.StringIO(text, newline=None).readline))
    except (tokenize.TokenError, SyntaxError):
        pass
    return tokens


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n\f\\":
        index += 1
    return index


def _skip_space_back(text: str, index: int) -> int:
    while index > 0 and text[index - 1] in " \t\r\n\f\\":
        index -= 1
    return index
