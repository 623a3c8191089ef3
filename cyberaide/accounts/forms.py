from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from dsfr.forms import DsfrBaseForm

from .twofactor import confirmed_device


class LoginForm(DsfrBaseForm):
    email = forms.CharField(
        label="Adresse e-mail ou identifiant",
        max_length=150,
        error_messages={"required": "Indiquez votre adresse e-mail ou votre identifiant."},
    )
    password = forms.CharField(
        label="Mot de passe", widget=forms.PasswordInput, error_messages={"required": "Indiquez votre mot de passe."}
    )
    code = forms.CharField(
        label="Code à usage unique",
        help_text="Les 6 chiffres affichés par votre application d'authentification.",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        self.device = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        login = data["email"].strip()
        login = login.lower() if "@" in login else login  # provider accounts are named by their e-mail, in lower case
        user = authenticate(self.request, username=login, password=data["password"])
        if user is None or not user.is_active:
            raise forms.ValidationError("Adresse e-mail ou mot de passe incorrect.")
        device = confirmed_device(user)
        if device is not None:
            code = (data.get("code") or "").replace(" ", "")
            if not code:
                self.add_error("code", "Indiquez le code affiché par votre application d'authentification.")
                return data
            if not device.verify_token(code):
                self.add_error("code", "Ce code n'est pas valable. Attendez le suivant et réessayez.")
                return data
        self.user, self.device = user, device
        return data


class TotpConfirmForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Indiquez le code à 6 chiffres."},
    )


class SignupForm(DsfrBaseForm):
    name = forms.CharField(label="Votre nom et prénom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail professionnelle")
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères, pas uniquement des chiffres.",
    )
    password2 = forms.CharField(
        label="Confirmez le mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(username=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse. Connectez-vous.")
        return email

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif data.get("password1"):
            user = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self):
        first, _, last = self.cleaned_data["name"].strip().partition(" ")
        return get_user_model().objects.create_user(
            username=self.cleaned_data["email"],
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
            first_name=first[:150],
            last_name=last[:150],
        )
