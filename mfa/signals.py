"""What happens to a person's two-step sign-in, for anyone who keeps a record of it
(the "what happened to your data" log connects here). Each is sent with `request`
and `user`; `factor` is "authenticator app", "passkey" or "recovery codes"."""

from django.dispatch import Signal

# A factor was turned on (kwargs: request, user, factor).
factor_added = Signal()
# A factor was removed, by itself or by turning two-step sign-in off (request, user, factor).
factor_removed = Signal()
# New recovery codes were made; the earlier ones stopped working (request, user).
recovery_codes_regenerated = Signal()
# A recovery code was used to sign in or to confirm it's them (request, user).
recovery_code_used = Signal()
# The person confirmed it's them before a sensitive action (request, user, method).
reauthenticated = Signal()
