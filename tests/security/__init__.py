"""Tests that keep the walls closed: the authorization matrix over the OpenAPI document and the live documents
(`test_authz_matrix`, table in `access_table`), the API fuzzed from the document (`test_fuzz_openapi`), the traces
security-relevant events leave (`test_security_events`) and small walls found on the way (`test_walls`)."""
