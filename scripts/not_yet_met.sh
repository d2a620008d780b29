# Blind bars measured as not met (docs/nlu.md, "Blind results"); read by scripts/test.sh
# (make test) and make evaluate. Remove a name when its bar is met; never add one to pass a
# build: every other bar fails it. Reported as NOT MET, never lowered.
# The trained model differs per CPU (tests/conversations/README.md): on session 9's machine
# (2026-12-04) family recall was 0.965 and the family script 0.979, both met, so they are
# enforced; on session 8's machine they were 0.937 and 0.951. On a new machine kind, run
# `make evaluate` first and say what changed.
BLIND_NOT_YET_MET="suicidal_recall"
OUTCOMES_NOT_YET_MET="unrelated_script,suicidal_113"
