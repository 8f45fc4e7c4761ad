"""The compact string form of a condition, e.g. `max_line_discount_pct > 20 and not below_floor`.

A tiny tokenizer and recursive-descent parser (never eval) that turn the string into the same data the
structured form uses, so one validator checks both. Grammar, loosest binding first:

    expr := and ("or" and)*          and := unary ("and" unary)*       unary := "not" unary | primary
    primary := "(" expr ")" | FACT [OP value]           OP := > >= < <= == != in contains
    value := NUMBER | "text" | 'text' | WORD | true | false | "[" [value ("," value)*] "]"

A bare FACT means "is true" (a bool) or "is not empty" (a category set). Quoted text has no escapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from approvals._limits import MAX_DEPTH

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
      | "(?P<dq>[^"]*)"
      | '(?P<sq>[^']*)'
      | (?P<op>[<>=!]+)
      | (?P<punct>[()\[\],])
    )""",
    re.VERBOSE,
)
_COMPARISONS = {">", ">=", "<", "<=", "==", "!="}
_KEYWORD_OPS = {"in", "contains"}
_RESERVED = {"and", "or", "not", "in", "contains", "true", "false"}

Data = dict[str, object]


class CompactSyntaxError(ValueError):
    """The string is not a condition; `column` is 1-based."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"at column {column}: {message}")
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number | word | text | op | punct | end
    text: str
    column: int


def _tokens(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    end = len(source.rstrip())
    while position < end:
        match = _TOKEN.match(source, position)
        if match is None or match.lastgroup is None:
            column = len(source) - len(source[position:].lstrip()) + 1
            raise CompactSyntaxError(column, f"unexpected character {source[column - 1]!r}")
        kind = match.lastgroup
        quoted = kind in ("dq", "sq")
        # A quoted text's column is its opening quote's.
        column = match.start(kind) + (0 if quoted else 1)
        tokens.append(_Token("text" if quoted else kind, match.group(kind), column))
        position = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.index = 0
        self.depth = 0

    @property
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text or token.kind == "text":
            raise CompactSyntaxError(token.column, f"expected {text!r}, found {_show(token)}")

    def is_word(self, word: str) -> bool:
        return self.peek.kind == "word" and self.peek.text == word

    def expr(self) -> Data:
        items = [self.conjunction()]
        while self.is_word("or"):
            self.take()
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else {"any": items}

    def conjunction(self) -> Data:
        items = [self.unary()]
        while self.is_word("and"):
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else {"all": items}

    def unary(self) -> Data:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CompactSyntaxError(self.peek.column, f"nested deeper than {MAX_DEPTH} levels")
        try:
            if self.is_word("not"):
                self.take()
                return {"not": self.unary()}
            if self.peek.text == "(" and self.peek.kind == "punct":
                self.take()
                inner = self.expr()
                self.expect(")")
                return inner
            return self.comparison()
        finally:
            self.depth -= 1

    def comparison(self) -> Data:
        fact = self.take()
        if fact.kind != "word" or fact.text in _RESERVED:
            raise CompactSyntaxError(fact.column, f"expected a fact name, found {_show(fact)}")
        operator = self.peek
        if operator.kind == "op":
            if operator.text not in _COMPARISONS:
                hint = ' (did you mean "=="?)' if operator.text == "=" else ""
                raise CompactSyntaxError(operator.column, f'unknown operator "{operator.text}"{hint}')
        elif not (operator.kind == "word" and operator.text in _KEYWORD_OPS):
            return {"fact": fact.text}
        self.take()
        return {"fact": fact.text, "op": operator.text, "value": self.value(operator)}

    def value(self, after: _Token) -> object:
        token = self.take()
        if token.kind == "number":
            return Decimal(token.text)
        if token.kind == "text":
            return token.text
        if token.kind == "word" and token.text in ("true", "false"):
            return token.text == "true"
        if token.kind == "word" and token.text not in _RESERVED:
            return token.text
        if token.kind == "punct" and token.text == "[":
            return self.items(after)
        raise CompactSyntaxError(token.column, f'expected a value after "{after.text}", found {_show(token)}')

    def items(self, after: _Token) -> list[object]:
        values: list[object] = []
        if self.peek.text == "]" and self.peek.kind == "punct":
            self.take()
            return values
        while True:
            values.append(self.value(after))
            token = self.take()
            if token.kind == "punct" and token.text == "]":
                return values
            if token.kind != "punct" or token.text != ",":
                raise CompactSyntaxError(token.column, f'expected "," or "]", found {_show(token)}')


def _show(token: _Token) -> str:
    if token.kind == "end":
        return "the end"
    if token.kind == "text":
        return f'the text "{token.text}"'
    return f'"{token.text}"'


def parse_compact(source: str) -> Data:
    """The structured condition data for `source`; raise `CompactSyntaxError` with the column of the problem."""
    parser = _Parser(source)
    if parser.peek.kind == "end":
        raise CompactSyntaxError(1, "empty condition")
    result = parser.expr()
    if parser.peek.kind != "end":
        raise CompactSyntaxError(parser.peek.column, f'expected "and", "or" or the end, found {_show(parser.peek)}')
    return result
