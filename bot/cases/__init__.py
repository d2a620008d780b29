"""Cases for human counsellors: risk rules, the deterministic Dutch summary and the service."""
