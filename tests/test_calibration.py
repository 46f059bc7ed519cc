"""Calibrated confidence: dev outcomes set the level, the heuristic keeps the order."""

from repair.decide.calibration import Calibration, KeyCounts, calibration_from_dict, features, logit, proposal_keys
from repair.records import Evidence, Proposal


def proposal(original="teh", replacement="the", confidence=0.7, rule="MORFOLOGIK_RULE_EN_US", kind="grammar"):
    return Proposal("P1", kind, 0, 0, len(original), original, replacement, "r", Evidence(rule_id=rule), confidence)


def test_keys_go_from_kind_to_rule_to_features():
    keys = proposal_keys(proposal())
    assert keys[:2] == ["grammar", "MORFOLOGIK_RULE_EN_US"]
    assert keys[2].startswith("MORFOLOGIK_RULE_EN_US|word,cap0,")


def test_features_tell_common_words_names_and_case_apart():
    assert features(proposal("tecnologies", "technologies")).split(",")[:3] == ["word", "cap0", "z0"]
    assert features(proposal("London", "Londons")).split(",")[:3] == ["word", "cap1", "zhi"]
    assert features(proposal("image", "Image")).startswith("case,")
    assert features(proposal(" ", ", ")).startswith("punct,")


def test_without_counts_the_heuristic_stands():
    assert Calibration().confidence(proposal(confidence=0.7)) == 0.7


def test_a_rule_that_mostly_hurt_drops_below_one_half():
    counts = {"grammar": KeyCounts(10, 90, logit(0.7)), "MORFOLOGIK_RULE_EN_US": KeyCounts(5, 95, logit(0.7))}
    calibrated = Calibration(counts).confidence(proposal(confidence=0.7))
    assert calibrated < 0.2


def test_the_heuristic_still_orders_proposals_of_one_rule():
    counts = {"grammar": KeyCounts(80, 20, logit(0.6))}
    calibration = Calibration(counts)
    assert calibration.confidence(proposal(confidence=0.4)) < calibration.confidence(proposal(confidence=0.8))
    assert abs(calibration.confidence(proposal(confidence=0.6)) - (80 + 4 * 0.6) / 104) < 0.01


def test_flags_are_not_calibrated():
    flag = proposal("2016", "2016", confidence=0.5, rule=None, kind="flag")
    [same] = Calibration({"flag": KeyCounts(0, 100, 0.0)}).apply([flag])
    assert same.confidence == 0.5


def test_profiles_are_read_by_name():
    data = {"profiles": {"mt": {"counts": {"grammar": [1, 9, 0.0]}, "min_confidence": 0.6},
                         "learner": {"counts": {}, "min_confidence": 0.45}}}
    assert calibration_from_dict(data, profile="mt").min_confidence == 0.6
    assert calibration_from_dict(data, profile="learner").counts == {}


def test_with_slope_zero_every_proposal_of_a_key_gets_its_measured_share():
    counts = {"grammar": KeyCounts(80, 20, logit(0.6))}
    calibration = Calibration(counts, slope=0.0)
    assert calibration.confidence(proposal(confidence=0.3)) == calibration.confidence(proposal(confidence=0.9))


def test_a_name_from_a_comparable_reference_is_calibrated_like_one_from_a_translation():
    counts = {"reference@translation": KeyCounts(50, 50, 0.0), "reference:name@translation": KeyCounts(60, 40, 0.0)}
    calibration = Calibration(counts, slope=0.0)
    comparable = proposal("Zenit", "Zenith", confidence=0.8, rule="reference:name", kind="reference")
    translation = proposal("Zenit", "Zenith", confidence=0.8, rule="reference:name@translation", kind="reference")
    assert proposal_keys(comparable)[:2] == ["reference@translation", "reference:name@translation"]
    assert calibration.confidence(comparable) == calibration.confidence(translation) < 0.65
    # other edits from a comparable reference have no dev data of their kind: their heuristic stands
    quote = proposal("murder", "killer", confidence=0.8, rule="reference:quote", kind="reference")
    assert calibration.confidence(quote) == 0.8


def test_the_language_models_opinion_is_a_feature_only_where_computed():
    from dataclasses import replace

    plain = proposal("has", "have")
    assert "lm" not in features(plain)
    raised = replace(plain, evidence=replace(plain.evidence, lm_gain=0.3))
    lowered = replace(plain, evidence=replace(plain.evidence, lm_gain=-0.1))
    assert features(raised) == features(plain) + ",lm+"
    assert features(lowered) == features(plain) + ",lm-"


def test_a_calibration_says_whether_it_was_fitted_with_the_language_model():
    assert not calibration_from_dict({"counts": {}}).lm_feature
    fitted = calibration_from_dict({"counts": {}, "lm_feature": True})
    assert fitted.lm_feature and calibration_from_dict(fitted.to_dict()).lm_feature
    assert "lm_feature" not in Calibration().to_dict()
