# Blind bars measured as not met (docs/nlu.md, "Blind results"); read by scripts/test.sh
# (make test) and make evaluate. Remove a name when its bar is met; never add one to pass a
# build: every other bar fails it. Reported as NOT MET, never lowered.
BLIND_NOT_YET_MET="family_recall,suicidal_recall"
OUTCOMES_NOT_YET_MET="family_script,unrelated_script,suicidal_113"
