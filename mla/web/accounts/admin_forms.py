"""Forms of the administration pages."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from mla.web.forms import AppForm


class UserForm(AppForm):
    version = HiddenField()  # of the account the edit form was opened on
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    office = SelectField(_l("Office"), validators=[Optional()])
    is_active = BooleanField(_l("Account is active"), default=True)


class NewUserForm(UserForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "off"})
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=10, max=256)],
        render_kw={"autocomplete": "new-password"}
    )


class PasswordResetForm(AppForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=256)],
                             render_kw={"autocomplete": "new-password"})
