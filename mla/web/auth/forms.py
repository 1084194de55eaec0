"""Forms of the sign-in pages."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from mla.web.forms import AppForm


class SignInForm(AppForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(AppForm):
    code = StringField(_l("Six-digit code from your authenticator app"),
                       validators=[DataRequired(), Length(max=12)])


class EnrolForm(CodeForm):
    secret = HiddenField(validators=[DataRequired(), Length(max=64)])
