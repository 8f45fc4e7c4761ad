"""Database engine, the declarative base and migrations runner."""
