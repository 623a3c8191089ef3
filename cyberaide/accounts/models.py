from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in: staff today; providers and 17Cyber agents later.

    Victims never need an account. Personal data: name and e-mail, kept while the account is active.
    """

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
