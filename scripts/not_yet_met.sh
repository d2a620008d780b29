# Blind bars measured as not met (docs/nlu.md, "Blind results"); read by scripts/test.sh
# (make test) and make evaluate. Remove a name when its bar is met; never add one to pass a
# build: every other bar fails it. Reported as NOT MET, never lowered.
# The trained model differs per CPU kind (docs/nlu.md, "The model depends on the machine"). Two
# kinds have been seen: on session 9's (2026-12-04) family recall was 0.965 and the family script
# 0.979 (met); on session 8's and session 10's (same figures; session 10's CPU has AVX-512)
# they are 0.937 and 0.951 (not met); session 11's machine (no AVX-512) gave the same as session 10's.
# Session 13 (2026-12-04/05) ran on session 9's kind again (AVX-512 with BF16/VNNI): family recall
# 0.965, false alarms 0.048, family script 0.979 (met); suicidal 0.977, suicidal 113 0.977 and
# unrelated-gets-the-script 0.058 not met. On session 10's kind, add family_recall and family_script.
# A bar is listed while it is not met on the machine kind CI runs on (the submitting session's).
# On a new machine kind, run `make evaluate` first and say what changed.
# Session 14 (2026-12-05): the blind set is a NEW one (715 messages, tests/nlu/blind/README.md; the
# first set is retired to tests/nlu/seen/), run on a third machine kind (Intel Xeon with AMX,
# AVX-512 BF16/VNNI). On it, after session 14's work: family recall 0.893, false alarms 0.098,
# suicidal 0.935 (not met); payment vs blackmail 0.868, amount F1 0.929, platform F1 0.940 (met);
# first reply: script 0.926, unrelated get the script 0.060, 113 0.935 (not met). The figures of
# the other kinds above were measured on the first set and say nothing about this one.
# Session 15 (a fourth kind, no AMX): family recall 0.909, false alarms 0.140, suicidal 0.935;
# first reply 0.934 / 0.131 / 0.935 (the same six not met). Session 16 (session 14's kind again,
# AMX): family recall 0.901, false alarms 0.099, suicidal 0.935, payment vs blackmail 0.876, amount
# F1 0.929, platform F1 0.940; first reply: script 0.934, unrelated 0.065, 113 0.935.
# Session 18 (AMD EPYC with AVX-512 BF16, no AMX: session 9's and 13's kind, first run of this blind
# set on it): family recall 0.893, false alarms 0.104, suicidal 0.935, payment vs blackmail 0.860,
# amount F1 0.912, platform F1 0.934; first reply 0.909 / 0.089 / 0.935 (the same six not met).
# Session 24 (AMD family 25 again, with session 23's gate and session 24's report verifier): family
# recall 0.893, false alarms 0.089 (0.101 without the verifier), suicidal 0.935; payment vs blackmail
# 0.860, amount F1 0.912, platform F1 0.934; first reply 0.909 / 0.065 (0.089) / 0.935 (the same six not met).
# Session 30 (AMD EPYC family 26 model 2, a kind not seen before; CI on 300fb98): family recall 0.884,
# false alarms 0.091, suicidal 0.935; payment vs blackmail 0.860, amount F1 0.916, platform F1 0.940;
# first reply 0.967 / 0.071 / 0.935 (the same six not met; session 29's code gave the same first
# replies on this kind, so the difference from session 29's figures is the kind's model).
# Session 31 (AMD EPYC family 25 model 17, sessions 24-27's kind; CI on 1beac2b): family recall 0.893,
# false alarms 0.089, suicidal 0.935; payment vs blackmail 0.860, amount F1 0.912, platform F1 0.934;
# first reply 0.959 / 0.077 / 0.935 (the same six not met; the same figures as session 27 on this kind).
BLIND_NOT_YET_MET="family_recall,family_false_alarm_rate,suicidal_recall"
OUTCOMES_NOT_YET_MET="family_script,unrelated_script,suicidal_113"
