"""Threads: questions, disputes and notes anchored to what they are about (issue 12).

External threads live in the shared document's `comments` map, internal ones in the internal document's;
both are written by the server only (`service.Threads`), through the room's durable server-write path, so
everyone in the room sees them live and nobody can forge an author or a state.
"""
