"""Forms of the sign-in, second-factor and session pages."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from mla.web.forms import AppForm

# What browsers and password managers may fill in (WCAG 1.3.5, identify input purpose).
ONE_TIME_CODE = {"autocomplete": "one-time-code", "spellcheck": "false"}


class SignInForm(AppForm):
    refused_heading = _l("Not signed in")
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class CodeForm(AppForm):
    refused_heading = _l("Not signed in")
    code = StringField(_l("Six-digit code from your authenticator app, or a recovery code"),
                       validators=[DataRequired(), Length(max=20)], render_kw=ONE_TIME_CODE)


class EnrolForm(AppForm):
    secret = HiddenField(validators=[DataRequired(), Length(max=64)])
    code = StringField(_l("Six-digit code from your authenticator app"),
                       validators=[DataRequired(), Length(max=12)], render_kw=ONE_TIME_CODE)
    # Needed only to replace a key that is already on: checked in the view.
    current_code = StringField(_l("A code from your current key, or a recovery code"),
                               validators=[Optional(), Length(max=20)], render_kw=ONE_TIME_CODE)
