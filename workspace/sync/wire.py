"""A strict reader for lib0 encodings (varUint, varUint8Array, varString).

pycrdt's `Decoder` slices past the end of a truncated message and accepts unbounded varints; the
server must tell a malformed message from a valid one, so it reads with this instead. Writing
uses pycrdt's own `write_var_uint`.
"""

from __future__ import annotations

from workspace.errors import InvalidInput

# lib0 writes JavaScript numbers; anything past 2**53 is not something a Yjs client produced.
_MAX_VARUINT_BITS = 53


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    @property
    def remaining(self) -> int:
        return len(self.data) - self.pos

    def var_uint(self) -> int:
        # The guard reads every struct of every update with this: kept to a few bytecodes per byte.
        data = self.data
        pos = self.pos
        try:
            byte = data[pos]
            if byte < 0x80:
                self.pos = pos + 1
                return byte
            value = byte & 0x7F
            shift = 7
            while True:
                pos += 1
                byte = data[pos]
                value |= (byte & 0x7F) << shift
                if byte < 0x80:
                    self.pos = pos + 1
                    return value
                shift += 7
                if shift >= _MAX_VARUINT_BITS:
                    raise InvalidInput("malformed message: a number is longer than 53 bits")
        except IndexError:
            raise InvalidInput("truncated message: a number ends before its last byte") from None

    def var_bytes(self) -> bytes:
        length = self.var_uint()
        if length > self.remaining:
            raise InvalidInput(f"truncated message: {length} bytes announced, {self.remaining} present")
        chunk = self.data[self.pos : self.pos + length]
        self.pos += length
        return chunk

    def var_string(self) -> str:
        raw = self.var_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput("malformed message: a string is not valid UTF-8") from exc

    def expect_end(self, what: str) -> None:
        if self.remaining:
            raise InvalidInput(f"malformed message: {self.remaining} unexpected bytes after the {what}")


def read_state_vector(data: bytes) -> dict[int, int]:
    """Decode an encoded state vector (client id -> clock)."""
    reader = Reader(data)
    count = reader.var_uint()
    vector: dict[int, int] = {}
    for _ in range(count):
        client = reader.var_uint()
        vector[client] = reader.var_uint()
    reader.expect_end("state vector")
    return vector
