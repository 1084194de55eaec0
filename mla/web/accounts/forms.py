"""Forms of the sign-in, second-factor and session pages."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from mla.web.forms import AppForm


class SignInForm(AppForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(AppForm):
    code = StringField(_l("Six-digit code from your authenticator app, or a recovery code"),
                       validators=[DataRequired(), Length(max=20)])


class EnrolForm(AppForm):
    secret = HiddenField(validators=[DataRequired(), Length(max=64)])
    code = StringField(_l("Six-digit code from your authenticator app"),
                       validators=[DataRequired(), Length(max=12)])
    # Needed only to replace a key that is already on: checked in the view.
    current_code = StringField(_l("A code from your current key, or a recovery code"),
                               validators=[Optional(), Length(max=20)])
