"""The workspace's reader of a pycrdt XmlFragment (as y-prosemirror writes it), for the core's tests."""

from workspace.terms import fragment_to_json

__all__ = ["fragment_to_json"]
