from gpiot.settings import Settings, from_env


def test_camel_case_values_are_applied() -> None:
    settings, errors = Settings().with_values({"repairAttempts": 3, "smokeRun": "false"})
    assert errors == []
    assert settings.repair_attempts == 3
    assert settings.smoke_run is False


def test_invalid_values_keep_defaults_and_say_why() -> None:
    default = Settings()
    settings, errors = default.with_values(
        {"threads": 0, "contextSize": "lots", "smokeRun": "maybe", "colour": "blue"}
    )
    assert settings.threads == default.threads
    assert settings.context_size == default.context_size
    assert settings.smoke_run is True
    assert len(errors) == 4
    assert any("unknown setting 'colour'" in e for e in errors)
    assert any("threads" in e and "outside" in e for e in errors)


def test_environment_overrides() -> None:
    settings, errors = from_env({"GPIOT_MODEL": "/m.gguf", "GPIOT_THREADS": "3", "HOME": "/x"})
    assert errors == []
    assert settings.model == "/m.gguf"
    assert settings.threads == 3


def test_booleans_are_not_numbers() -> None:
    _, errors = Settings().with_values({"threads": True})
    assert errors


def test_choice_settings_reject_unknown_values_and_keep_the_default() -> None:
    settings, errors = Settings().with_values({"kvCache": "q4_0"})
    assert settings.kv_cache == "q8_0"
    assert errors and "q8_0, f16" in errors[0]
    settings, errors = Settings().with_values({"kvCache": "f16"})
    assert (settings.kv_cache, errors) == ("f16", [])
