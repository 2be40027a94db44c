import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from sunshine.core import crypto


def test_encrypt_then_decrypt_returns_the_chinese_plaintext():
    token = crypto.encrypt("王小明 13900001111")
    assert "王小明" not in token and "13900001111" not in token
    assert crypto.decrypt(token) == "王小明 13900001111"


def test_empty_values_stay_empty():
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_the_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt("同一个人") != crypto.encrypt("同一个人")


def test_keys_rotate_old_tokens_still_decrypt_and_new_ones_use_the_new_key(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    token = crypto.encrypt("举报人")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert crypto.decrypt(token) == "举报人"
    rotated = crypto.rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "举报人"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_no_key_refuses_to_encrypt(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_a_malformed_key_is_reported_as_misconfiguration(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
