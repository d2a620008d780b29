"""Custom Rasa NLU components (imported by Rasa via config.yml, never by the web app)."""
