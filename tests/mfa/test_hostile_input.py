"""Random and hostile input to two-step sign-in's forms: never a 5xx, never live
markup, and no factor changed or signed in by it."""

from hypothesis import given

from mfa.models import Passkey, TwoStep
from tests.conftest import PASSWORD
from tests.fuzz.cases import FUZZ, SignedInCase
from tests.fuzz.hostile import hostile_form
from tests.mfa.factories import give_authenticator

HOSTILE_CREDENTIAL = ["credential", "name", "next"]


class TestTwoStepForms(SignedInCase):
    @FUZZ
    @given(hostile_form(["setup_key", "code"]))
    def test_authenticator_setup(self, data):
        response = self.client.post("/accounts/two-step/authenticator/", data)
        self.assert_handled(response)
        assert not TwoStep(self.owner).is_on

    @FUZZ
    @given(hostile_form(HOSTILE_CREDENTIAL))
    def test_add_a_passkey(self, data):
        self.client.post("/accounts/two-step/passkeys/options/add/")
        response = self.client.post("/accounts/two-step/passkeys/add/", data)
        self.assert_handled(response)
        assert not Passkey.objects.exists()

    @FUZZ
    @given(hostile_form(["password", "code", "credential", "next"]))
    def test_confirm(self, data):
        give_authenticator(self.owner)
        self.client.post("/accounts/two-step/passkeys/options/confirm/")
        response = self.client.post("/accounts/two-step/confirm/", data)
        self.assert_handled(response)
        if response.status_code == 302:  # only the right password confirms
            assert data.get("password") == PASSWORD

    @FUZZ
    @given(hostile_form(["code", "credential"]))
    def test_second_step(self, data):
        give_authenticator(self.owner)
        self.client.logout()
        self.client.post("/accounts/login/", {"username": self.owner.email, "password": PASSWORD})
        self.client.post("/accounts/two-step/passkeys/options/second-step/")
        response = self.client.post("/accounts/two-step/second-step/", data)
        self.assert_handled(response)
        assert "_auth_user_id" not in self.client.session

    @FUZZ
    @given(hostile_form(HOSTILE_CREDENTIAL))
    def test_sign_in_with_a_passkey(self, data):
        self.client.logout()
        self.client.post("/accounts/two-step/passkeys/options/sign-in/")
        response = self.client.post("/accounts/two-step/passkeys/sign-in/", data)
        self.assert_handled(response)
        assert "_auth_user_id" not in self.client.session
