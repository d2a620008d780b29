from bot.safety import SafetyNet, normalise


def test_normalise_folds_case_accents_stretching_and_punctuation():
    assert normalise("Ik  wil DOOOOOD!!!") == "ik wil dood"
    assert normalise("ïk wíl") == "ik wil"


def test_phrases_match_on_word_boundaries_only():
    net = SafetyNet.from_lists(["wil dood"], [])
    assert net.match("ik wil dooooood echt")
    assert not net.match("ik wil doodgewoon slapen")


def test_project_phrase_file_catches_core_phrases():
    net = SafetyNet.from_file()
    for text in ["ik denk aan zelfmoord", "ik wil gewoon dood", "ik wil niet meer leven"]:
        assert net.match(text), text
    for text in ["hij wil 500 euro anders stuurt ie mn nudes", "hoi", ""]:
        assert not net.match(text), text
