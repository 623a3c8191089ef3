"""Demonstration data for the anti-scam filter, so that `make run` shows it alive: trusted platforms, staff rules,
about 120 indicators reported by victims over the last 90 days (a few large waves, many small ones), listings of
every origin and state, a partner's import with skipped lines, and contests to examine.

Everything goes through the service layer (``services``), so that the browser list's journal matches the listings.
Only what no service can do is written directly: the reports of each wave but the one recorded through
``services.record_reports`` (``bulk_create``, for speed), the report dates (the service dates reports "now") and the
counters and dates of the indicators that follow from them, and the past dates of the expired listing (then closed
by ``services.expire_listings``, as the periodic job does). Listings are dated today: the services date them.
Deterministic: one seeded ``random.Random``; a web address reported counts for its page and for its site, as in
``services.record_reports``.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test import override_settings
from django.utils import timezone
from stdnum import iban as stdnum_iban

from . import services
from .domains import SHORTENERS
from .extract import Found, classify_single
from .models import (
    Category,
    Contest,
    Indicator,
    Kind,
    Listing,
    ListingRule,
    Report,
    TrustedDomain,
    indicator_key,
)

SEED = 17
DEMO_DAYS = 90

# Used by the documentation and by the manual check of the browser extension.
DEMO_LISTED_SITE = "ameli-remboursement-demo.fr"
DEMO_LISTED_URL = "https://colis-suivi-laposte.info/paiement"

TRUSTED_DOMAINS = {
    "google.com": "Google : Sites, Docs, Forms et Drive hébergent les pages de tout le monde.",
    "microsoft.com": "Microsoft : formulaires et pages de ses clients.",
    "sharepoint.com": "Documents partagés de millions d'entreprises (Microsoft 365).",
    "office.com": "Microsoft 365 : Forms et documents partagés.",
    "live.com": "Messagerie et OneDrive de Microsoft.",
    "outlook.com": "Messagerie de Microsoft.",
    "1drv.ms": "Liens de partage de OneDrive (Microsoft).",
    "apple.com": "Apple : pages et services de tous ses clients.",
    "icloud.com": "Messagerie et partages iCloud d'Apple.",
    "facebook.com": "Réseau social : pages et publications de tout le monde.",
    "instagram.com": "Réseau social : comptes de tout le monde.",
    "whatsapp.com": "Messagerie : liens d'invitation de tout le monde.",
    "youtube.com": "Vidéos publiées par tout le monde.",
    "linkedin.com": "Réseau professionnel : profils et publications de tout le monde.",
    "amazon.fr": "Boutique en ligne : fiches de vendeurs tiers.",
    "amazon.com": "Boutique en ligne et hébergement (Amazon Web Services).",
    "wikipedia.org": "Encyclopédie modifiable par tout le monde.",
    "dropbox.com": "Partage de fichiers : liens de tout le monde.",
    "wetransfer.com": "Envoi de fichiers : liens de tout le monde.",
    "github.com": "Hébergement de code : dépôts de tout le monde.",
    "wordpress.com": "Blogs hébergés de tout le monde.",
    "forms.gle": "Liens courts de Google Forms.",
    "ameli.fr": "Site officiel de l'Assurance maladie, très imité par les escrocs.",
    "impots.gouv.fr": "Site officiel des impôts, très imité par les escrocs.",
    "laposte.fr": "Site officiel de La Poste, très imité par les escrocs.",
    "antai.gouv.fr": "Site officiel des amendes (ANTAI), très imité par les escrocs.",
    "service-public.fr": "Site officiel de l'administration française.",
}

RULES = [
    (
        "Sites signalés par 10 sources en 7 jours",
        Kind.SITE,
        10,
        7,
        Category.PHISHING,
        "Site signalé comme frauduleux par de nombreuses victimes en quelques jours. N'y saisissez aucune "
        "information personnelle ni bancaire.",
        90,
    ),
    (
        "Numéros signalés par 15 sources en 14 jours",
        Kind.PHONE,
        15,
        14,
        Category.IMPERSONATION,
        "Numéro signalé par de nombreuses victimes d'appels ou de SMS frauduleux. Ne rappelez pas et ne donnez ni "
        "code reçu par SMS ni coordonnées bancaires.",
        90,
    ),
    (
        "IBAN signalés par 5 sources en 30 jours",
        Kind.IBAN,
        5,
        30,
        Category.OTHER,
        "IBAN signalé par plusieurs victimes qui ont payé sans rien recevoir, ou payé un faux créancier. Ne faites "
        "aucun virement vers ce compte.",
        180,
    ),
    (
        "Adresses e-mail signalées par 10 sources en 14 jours",
        Kind.EMAIL,
        10,
        14,
        Category.PHISHING,
        "Adresse e-mail signalée par de nombreuses victimes de messages frauduleux. Ne répondez pas et n'ouvrez ni "
        "les liens ni les pièces jointes.",
        90,
    ),
]


def _fr_iban(bank: str, branch: str, account: str) -> str:
    """A French IBAN with a correct RIB key and IBAN checksum (real bank codes, invented branches and accounts)."""
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    return stdnum_iban.format(f"FR{stdnum_iban.calc_check_digits(f'FR00{bban}')}{bban}")


def _foreign_iban(country: str, bban: str) -> str:
    return stdnum_iban.format(f"{country}{stdnum_iban.calc_check_digits(f'{country}00{bban}')}{bban}")


IBAN_FAKE_INVOICE = _fr_iban("16958", "00001", "04711235800")
IBAN_FAKE_SHOP = _foreign_iban("DE", "100100100832640017")
IBAN_INVESTMENT = _foreign_iban("LT", "3250020467183950")


@dataclass(frozen=True)
class StaffListing:
    category: str
    reason: str
    target: str = "site"  # for a web address: "site" lists the whole site, "page" the page


@dataclass(frozen=True)
class Wave:
    """Victims reporting one indicator: ``reports`` around ``peak`` days ago, fading over about ``spread`` days.
    ``rule``: enough independent sources to meet a staff rule (which lists a look-alike of a protected brand and
    proposes anything else to staff); ``staff``: listed by staff beforehand."""

    text: str
    incident: str
    reports: int
    peak: float
    spread: float
    rule: bool = False
    staff: StaffListing | None = None


def _staff(category, reason, target="site"):
    return StaffListing(category, reason, target)


WAVES = [
    # --- Large waves ---------------------------------------------------------------------------------------
    Wave(
        DEMO_LISTED_URL,
        "scam_sms",
        540,
        9,
        5,
        rule=True,
        staff=_staff(
            Category.PHISHING,
            "Fausse page de La Poste qui réclame des « frais de livraison » pour voler votre carte bancaire.",
            "page",
        ),
    ),
    Wave(
        f"https://{DEMO_LISTED_SITE}/carte-vitale/renouvellement",
        "phishing",
        320,
        24,
        8,
        staff=_staff(
            Category.PHISHING,
            "Faux site de l'Assurance maladie qui demande votre carte bancaire pour « renouveler » la carte Vitale.",
        ),
    ),
    Wave(DEMO_LISTED_SITE, "phishing", 14, 18, 6),
    Wave("https://antai-amende-reglement.fr/avis/paiement", "phishing", 230, 38, 6, rule=True),
    Wave("01 99 00 45 12", "fake_bank_adviser", 170, 13, 5, rule=True),
    Wave(
        "https://remboursement-impots-gouv.info/dossier",
        "phishing",
        140,
        62,
        7,
        staff=_staff(
            Category.PHISHING,
            "Faux site des impôts qui promet un remboursement pour obtenir vos coordonnées bancaires.",
        ),
    ),
    Wave("https://mon-cpf-droits.fr/activation", "scam_sms", 110, 76, 6, rule=True),
    # --- Medium and small waves, listed by a rule ----------------------------------------------------------
    Wave("https://suivi-chronopost-livraison.com/colis", "scam_sms", 48, 30, 4, rule=True),
    Wave(
        "https://atelier-reliure-dumas.fr/wp-content/uploads/colissimo/index.php",
        "scam_sms",
        28,
        21,
        3,
        staff=_staff(
            Category.PHISHING,
            "Site piraté qui héberge une fausse page Colissimo réclamant des frais de réexpédition.",
        ),
    ),
    Wave("service-client@colissimo-reexpedition.com", "phishing", 55, 27, 5, rule=True),
    Wave(IBAN_INVESTMENT, "investment_scam", 14, 45, 12, rule=True),
    # --- Listed by staff -----------------------------------------------------------------------------------
    Wave(
        "https://critair-certificat-officiel.fr/commande",
        "phishing",
        45,
        41,
        10,
        staff=_staff(
            Category.IMPERSONATION,
            "Faux site officiel qui fait payer très cher la vignette Crit'Air : la vraie coûte moins de 5 € sur "
            "certificat-air.gouv.fr.",
        ),
    ),
    Wave(
        "https://espace-securite-banquepop.fr/authentification",
        "fake_bank_adviser",
        38,
        16,
        4,
        staff=_staff(
            Category.PHISHING,
            "Fausse page de sécurité bancaire : elle demande vos identifiants et le code reçu par SMS pour vider "
            "votre compte.",
        ),
    ),
    Wave(
        "https://secure-creditagri-verif.com/connexion",
        "phishing",
        18,
        52,
        5,
        staff=_staff(
            Category.PHISHING,
            "Imite l'espace client d'une banque pour voler vos identifiants et valider des paiements à votre place.",
        ),
    ),
    Wave(
        "https://lbp-certicode-renouvellement.fr/activation",
        "phishing",
        9,
        33,
        4,
        staff=_staff(
            Category.PHISHING,
            "Faux site bancaire qui prétend « renouveler » votre service d'authentification pour voler vos codes.",
        ),
    ),
    Wave(
        "https://placement-livret-premium.fr",
        "investment_scam",
        26,
        58,
        20,
        staff=_staff(
            Category.INVESTMENT,
            "Faux placement « garanti » à 8 % par an : l'argent versé n'est jamais rendu.",
        ),
    ),
    Wave(
        "https://crypto-rendement-garanti.io/inscription",
        "investment_scam",
        14,
        70,
        15,
        staff=_staff(
            Category.INVESTMENT,
            "Fausse plateforme d'investissement en cryptomonnaie : les gains affichés sont fictifs et les retraits "
            "impossibles.",
        ),
    ),
    Wave(
        "https://destockage-cocottes-fonte.fr",
        "fake_shop",
        22,
        47,
        12,
        staff=_staff(Category.FAKE_SHOP, "Faux site de déstockage : les commandes payées ne sont jamais livrées."),
    ),
    Wave(
        "https://liquidation-outillage-pro.store/promo",
        "fake_shop",
        16,
        28,
        8,
        staff=_staff(
            Category.FAKE_SHOP,
            "Fausse liquidation d'un magasin de bricolage : les commandes payées ne sont jamais livrées.",
        ),
    ),
    Wave(
        "https://caf-aide-exceptionnelle.fr/dossier",
        "phishing",
        19,
        11,
        4,
        staff=_staff(
            Category.PHISHING,
            "Faux site de la CAF qui promet une aide exceptionnelle pour obtenir vos coordonnées bancaires.",
        ),
    ),
    Wave(
        "https://abonnement-video-paiement.com/compte",
        "phishing",
        12,
        6,
        3,
        staff=_staff(
            Category.PHISHING,
            "Fausse page d'abonnement vidéo qui prétend que votre paiement a échoué, pour voler votre carte bancaire.",
        ),
    ),
    Wave(
        "https://francetravail-indemnisation.info/maj",
        "phishing",
        8,
        4,
        2,
        staff=_staff(
            Category.PHISHING,
            "Faux site de France Travail qui demande vos coordonnées bancaires pour une prétendue indemnisation.",
        ),
    ),
    Wave(
        "https://sites.google.com/view/colissimo-reprogrammation/accueil",
        "scam_sms",
        16,
        19,
        5,
        staff=_staff(
            Category.PHISHING,
            "Page créée sur un service d'hébergement gratuit qui imite Colissimo pour faire payer de faux frais de "
            "livraison.",
            "page",
        ),
    ),
    Wave(
        "https://cabinet-expertise-nord.sharepoint.com/:b:/s/partage/factures-en-attente",
        "fake_invoice",
        11,
        35,
        6,
        staff=_staff(
            Category.PHISHING,
            "Document partagé piégé : il imite une facture et mène vers une fausse page de connexion à votre "
            "messagerie.",
            "page",
        ),
    ),
    Wave(
        "https://bit.ly/3Colis7x",
        "scam_sms",
        32,
        10,
        4,
        staff=_staff(
            Category.PHISHING,
            "Lien raccourci qui mène vers un faux site de La Poste réclamant des frais de livraison.",
            "page",
        ),
    ),
    Wave(
        "09 75 98 31 07",
        "fake_tech_support",
        48,
        23,
        15,
        staff=_staff(
            Category.TECH_SUPPORT,
            "Faux support technique : une fausse alerte de virus affiche ce numéro, puis on vous fait payer un "
            "« dépannage » ou prendre le contrôle de votre ordinateur.",
        ),
    ),
    Wave(
        "04 65 71 20 33",
        "phone_scam",
        30,
        9,
        4,
        staff=_staff(
            Category.IMPERSONATION,
            "Numéro utilisé pour de faux appels de l'Assurance maladie qui demandent vos coordonnées bancaires.",
        ),
    ),
    Wave(
        "02 61 91 08 56",
        "fake_bank_adviser",
        22,
        50,
        10,
        staff=_staff(
            Category.IMPERSONATION,
            "Faux conseiller bancaire : il prétend bloquer une fraude et vous fait valider des paiements ou donner "
            "vos codes.",
        ),
    ),
    Wave(
        "01 99 00 87 23",
        "recovery_scam",
        9,
        66,
        20,
        staff=_staff(
            Category.OTHER,
            "Faux service de récupération d'argent : il promet de récupérer les sommes perdues dans une arnaque, "
            "contre des frais.",
        ),
    ),
    Wave(
        "brigade.mineurs@police-convocation.fr",
        "sextortion_bluff",
        35,
        55,
        12,
        staff=_staff(
            Category.EXTORTION,
            "Fausse convocation de la police qui accuse à tort et réclame une « amende » pour classer l'affaire.",
        ),
    ),
    Wave(
        "remboursement@ameli-dossier-assure.fr",
        "phishing",
        7,
        22,
        6,
        staff=_staff(
            Category.PHISHING,
            "Adresse d'envoi de faux e-mails de l'Assurance maladie qui mènent vers un site d'hameçonnage.",
        ),
    ),
    Wave(
        IBAN_FAKE_INVOICE,
        "fake_invoice",
        4,
        40,
        15,
        staff=_staff(
            Category.IMPERSONATION,
            "IBAN donné dans de fausses factures de fournisseurs : les virements partent vers le compte d'un escroc.",
        ),
    ),
    Wave(
        IBAN_FAKE_SHOP,
        "fake_shop",
        4,
        31,
        10,
        staff=_staff(
            Category.FAKE_SHOP,
            "IBAN d'un faux site de vente : les commandes payées par virement ne sont jamais livrées.",
        ),
    ),
    # --- Not listed (yet) ----------------------------------------------------------------------------------
    Wave("https://amf-plateforme-invest.com", "investment_scam", 6, 80, 10),
    Wave("https://chaussures-soldes-paris.shop", "fake_shop", 11, 36, 10),
    Wave("https://robot-cuisine-outlet.fr/produit/robot-multifonction", "fake_shop", 7, 14, 8),
    Wave("https://mutuelle-remboursement-sante.com/formulaire", "phishing", 4, 67, 3),
    Wave("https://orange-facture-impayee.fr/regularisation", "phishing", 5, 3, 2),
    Wave("https://urlz.fr/qR4t", "scam_sms", 8, 5, 3),
    Wave("https://tinyurl.com/carte-vitale-maj", "phishing", 5, 44, 5),
    Wave("https://www.dropbox.com/scl/fi/k3x9q2demo/facture-avril.pdf", "fake_invoice", 4, 26, 5),
    Wave("03 53 01 77 42", "phone_scam", 12, 72, 15),
    Wave("05 36 49 62 18", "phone_scam", 6, 20, 6),
    Wave("+44 20 7946 0123", "investment_scam", 9, 48, 20),
    Wave("compta.fournisseur@transports-leclair-groupe.com", "ceo_fraud", 3, 15, 5),
    Wave("support@portefeuille-crypto-verification.net", "phishing", 9, 29, 6),
    Wave("recrutement@emploi-domicile-colis.fr", "fake_job", 6, 57, 15),
]

# The small waves are made up from these words: many sites, numbers, addresses and IBANs reported a few times.
SITE_THEMES = [
    (("colis", "livraison", "relais-colis", "suivi-envoi"), ("frais", "suivi", "reprogrammer", "attente"), "scam_sms"),
    (("vitale", "assure-sante", "carte-vitale"), ("renouvellement", "maj", "dossier", "espace"), "phishing"),
    (("amende", "stationnement", "contravention"), ("paiement", "reglement", "avis"), "phishing"),
    (("remboursement", "tresor-public", "credit-impot"), ("dossier", "espace", "formulaire"), "phishing"),
    (("banque", "compte-client", "securite-carte"), ("verification", "connexion", "alerte"), "fake_bank_adviser"),
    (("formation-droits", "mon-cpf"), ("activation", "solde", "expiration"), "scam_sms"),
    (("vignette", "certificat-air"), ("commande", "officiel"), "phishing"),
    (("destockage", "outlet", "liquidation"), ("maison", "mode", "jardin", "electromenager"), "fake_shop"),
    (("invest", "rendement", "placement"), ("patrimoine", "avenir", "premium"), "investment_scam"),
]
TLDS = ("info", "com", "online", "site", "top", "shop", "xyz", "fr", "live", "help")
PATHS = ("", "/", "/fr/", "/suivi", "/paiement", "/connexion", "/espace-client/login", "/verification")
PHONE_BLOCKS = ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49", "09 75 98")
PHONE_INCIDENTS = ("phone_scam", "phone_scam", "fake_bank_adviser", "scam_sms", "fake_tech_support")
EMAIL_LOCALS = ("contact", "service", "support", "remboursement", "dossier", "conseiller", "info-client")
EMAIL_INCIDENTS = ("phishing", "phishing", "email_spam", "fake_invoice")
IBAN_BANKS = ("30004", "30003", "10278", "16958", "20041", "40618")
IBAN_INCIDENTS = ("fake_shop", "p2p_sale_scam", "fake_invoice", "investment_scam")

# A partner's list: comments and blank lines are ignored; two lines cannot be read, one names a trusted platform
# and one an indicator staff already listed.
IMPORT_FILE_NAME = "liste-partenaire-demo.txt"
IMPORT_SOURCE = "Signal Spam (démonstration)"
IMPORT_LINES = """\
# Signal Spam — sites et adresses d'hameçonnage confirmés (liste de démonstration)
# Une adresse par ligne.

colis-relais-frais.info
https://suivi-envoi-postal.com/
https://laposte-avis-passage.online/suivi
secure-lcl-authentification.com
https://espace-assure-vitale.site/connexion
impots-remboursement-dossier.com
https://amende-antai-paiement.top/
service-antai-gouv.info
https://pass-navigo-renouvellement.fr/offre
https://gite-des-trois-sources.fr/
https://mon-compte-edf-client.com/facture
https://cpf-solde-expiration.fr/
https://securite-paiement-carte.xyz/verification
banque-conseiller-alerte.online
https://netbanque-acces-client.com/login
https://livraison-colis-attente.live/
https://crypto-retrait-immediat.io/
https://vente-privee-outlet.shop/
https://suivi-chronopost-frais.info/
https://assurance-maladie-remboursement.online/
https://caf-versement-prime.info/
https://www.critair-certificat-officiel.fr/
drive.google.com
suivi-colis-express
https://paiement-amende .fr/antai
facturation@edf-service-client.info
noreply@colissimo-notification.com
support@compte-bancaire-securite.fr
alerte@ameli-assure-remboursement.com
https://antai-contravention-reglement.com/
"""

# A contest the team upheld (a small business whose hacked site hosted a fake page), one they rejected, and two
# to examine.
CONTESTS = {
    "upheld": (
        "https://www.atelier-reliure-dumas.fr/",
        "Jeanne Dumas — Atelier de reliure Dumas",
        "jeanne.dumas@example.fr",
        "Bonjour,\n\nJe suis relieuse artisanale à Dijon et mon site vitrine apparaît comme frauduleux. Mon "
        "prestataire a découvert que mon site WordPress avait été piraté : une fausse page Colissimo avait été "
        "déposée dans un dossier d'images. Il l'a supprimée, a mis à jour WordPress et ses extensions, et j'ai "
        "changé tous les mots de passe. Pouvez-vous vérifier et retirer mon site de votre liste ? Mes clients ne "
        "peuvent plus me joindre.\n\nMerci beaucoup,\nJeanne Dumas",
        "Merci pour votre message et pour votre réaction rapide. Nous avons vérifié : la fausse page n'est plus en "
        "ligne et votre site ne présente plus de contenu frauduleux. Il est retiré de notre liste ; les "
        "navigateurs équipés de l'extension cesseront de l'avertir dans l'heure.",
    ),
    "rejected": (
        "https://destockage-cocottes-fonte.fr/",
        "Service client Destockage Cocottes",
        "service.client@example.org",
        "Bonjour, nous sommes une boutique de déstockage sérieuse et nous perdons des ventes à cause de votre "
        "avertissement. Les retards de livraison sont dus au transporteur. Merci de retirer notre site.",
        "Nous avons reçu de nombreux signalements de personnes qui ont payé sans jamais recevoir leur commande ni "
        "obtenir de remboursement. Le site n'indique ni numéro SIRET ni adresse vérifiable. L'inscription est "
        "maintenue.",
    ),
    "pending": [
        (
            "04 65 71 20 33",
            "Hélène Marchal — cabinet de kinésithérapie",
            "helene.marchal@example.fr",
            "Bonjour,\n\nCe numéro est celui de mon cabinet de kinésithérapie depuis douze ans. Depuis deux "
            "semaines, des personnes en colère m'appellent : elles disent avoir reçu un appel de « l'Assurance "
            "maladie » venant de mon numéro. Je n'ai jamais appelé ces personnes ; mon opérateur pense que des "
            "escrocs font afficher mon numéro. Mes patients voient maintenant un avertissement quand ils le "
            "vérifient. Pouvez-vous retirer mon numéro ?\n\nCordialement,\nHélène Marchal",
        ),
        (
            "https://www.gite-des-trois-sources.fr/",
            "Bernard Lefèvre",
            "bernard.lefevre@example.org",
            "Bonjour, je loue un gîte en Auvergne et mon site est signalé comme dangereux. Mon hébergeur a trouvé "
            "un dossier que je n'avais pas créé et l'a supprimé la semaine dernière ; il a aussi changé les accès. "
            "Je ne comprends pas tout, mais je voudrais que les clients puissent de nouveau réserver. Merci.",
        ),
    ],
}

# Listed by staff, then no longer: one expired, one lifted because its domain was deleted.
EXPIRED_WAVE = Wave(
    "https://soldes-vetements-marque.shop",
    "fake_shop",
    19,
    86,
    6,
    staff=_staff(
        Category.FAKE_SHOP, "Faux site de vente de vêtements de marque : les commandes payées ne sont jamais livrées."
    ),
)
LIFTED_WAVE = Wave(
    "https://edf-remboursement-trop-percu.fr/client",
    "phishing",
    13,
    60,
    8,
    staff=_staff(
        Category.PHISHING,
        "Faux site d'un fournisseur d'énergie qui promet le remboursement d'un trop-perçu pour voler votre carte "
        "bancaire.",
    ),
)
LIFT_REASON = (
    "Nom de domaine supprimé par le registre : le site n'existe plus et le nom pourra être attribué à quelqu'un "
    "d'autre."
)


COUNT_KEYS = (
    "trusted_domains",
    "rules",
    "indicators",
    "reported_indicators",
    "reports",
    "staff_listings",
    "rule_listings",
    "import_listings",
    "import_skipped",
    "active_listings",
    "expired_listings",
    "lifted_listings",
    "contests",
    "pending_contests",
)


def _found(text: str) -> Found:
    found = classify_single(text)
    if found is None:
        raise ValueError(f"Demonstration indicator not recognised: {text!r}")
    return found


def _generated_waves(rng: random.Random, taken: set[str]) -> list[Wave]:
    """Many small waves (1 to 20 reports): made-up sites, fiction phone numbers, addresses and IBANs."""
    waves = []

    def small_count() -> int:
        return min(20, int(rng.paretovariate(1.1)))

    def add(text, incident):
        if text not in taken:
            taken.add(text)
            waves.append(Wave(text, incident, small_count(), rng.uniform(0, DEMO_DAYS - 1), rng.uniform(1, 10)))

    hosts = []
    while len(hosts) < 14:
        first, second, incident = rng.choice(SITE_THEMES)
        words = [rng.choice(first), rng.choice(second)]
        rng.shuffle(words)
        host = f"{'-'.join(words)}.{rng.choice(TLDS)}"
        if host not in hosts:
            hosts.append(host)
            path = rng.choice(PATHS)
            add(f"https://{host}{path}" if path else host, incident)
    for _ in range(9):
        add(f"{rng.choice(PHONE_BLOCKS)} {rng.randint(10, 99)} {rng.randint(10, 99)}", rng.choice(PHONE_INCIDENTS))
    for host in rng.sample(hosts, 5):
        add(f"{rng.choice(EMAIL_LOCALS)}@{host.rsplit('.', 1)[0]}.com", rng.choice(EMAIL_INCIDENTS))
    for _ in range(4):
        bank = rng.choice(IBAN_BANKS)
        add(
            _fr_iban(bank, f"{rng.randint(1, 999):05d}", f"{rng.randint(10**8, 10**9):011d}"),
            rng.choice(IBAN_INCIDENTS),
        )
    return waves


class _Sources:
    """Network keys of documentation addresses: three shared IPv4 /24 networks (a company, a school, a public
    Wi-Fi) and as many IPv6 /48 networks under 2001:db8::/32 as needed (one per household)."""

    SHARED_SHARE = 0.02
    REPEAT_SHARE = 0.08  # someone of the same network reported the same thing already

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.shared = [services.source_key(address) for address in ("192.0.2.17", "198.51.100.42", "203.0.113.9")]
        self.next_network = 0

    def fresh(self) -> str:
        self.next_network += 1
        return services.source_key(f"2001:db8:{self.next_network:x}::{self.rng.randint(1, 0xFFFF):x}")

    def for_wave(self, count: int, cap: int | None) -> list[str]:
        """``count`` source keys, at most ``cap`` distinct ones."""
        keys: list[str] = []
        distinct: set[str] = set()
        for _ in range(count):
            draw = self.rng.random()
            if keys and (draw < self.REPEAT_SHARE or (cap is not None and len(distinct) >= cap)):
                key = self.rng.choice(keys)
            elif draw < self.REPEAT_SHARE + self.SHARED_SHARE:
                key = self.rng.choice(self.shared)
            else:
                key = self.fresh()
            keys.append(key)
            distinct.add(key)
        return keys


def _ages(rng: random.Random, wave: Wave) -> list[float]:
    """Report ages in days, oldest first: a few the days before the peak, then fading."""
    ages = []
    for _ in range(wave.reports):
        if rng.random() < 0.1:
            age = wave.peak + rng.uniform(0, 2)
        else:
            age = wave.peak - rng.expovariate(1 / wave.spread)
        ages.append(min(max(age, rng.uniform(0, 0.5)), DEMO_DAYS - 0.01))
    return sorted(ages, reverse=True)


def _rule_threshold(
    found: Found,
    values: list[services.IndicatorValue],
    thresholds: dict[str, int],
    listed: set[str],
    trusted: set[str],
) -> int | None:
    """The fewest independent sources an active rule needs to list one of ``values`` (those not ``listed`` by
    staff already); None when no rule can list any."""
    needed = []
    for value in values:
        if value.kind not in thresholds or indicator_key(value.kind, value.value) in listed:
            continue
        if value.kind == Kind.SITE and (value.value in trusted or value.value in SHORTENERS):
            continue
        if value.kind == Kind.URL and found.detail.is_shortener:
            continue
        needed.append(thresholds[value.kind])
    return min(needed) if needed else None


def _meeting_rule(keys: list[str], threshold: int) -> int:
    """The position of the report that brings ``threshold`` independent sources."""
    distinct = set()
    for position, key in enumerate(keys):
        distinct.add(key)
        if len(distinct) >= threshold:
            return position
    raise ValueError("Too few independent sources for a rule to list a demonstration wave.")


def create_demo_filter(staff_user) -> dict[str, int]:
    """Create the demonstration data of the anti-scam filter; nothing when an indicator already exists. Returns the
    counts of what was created."""
    if Indicator.objects.exists():
        return dict.fromkeys(COUNT_KEYS, 0)
    # Contests e-mail their authors once the transaction commits: not printed on the console here.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        return _create(staff_user)


def _create(staff_user) -> dict[str, int]:
    rng = random.Random(SEED)
    now = timezone.now()
    counts = {}

    counts["trusted_domains"] = sum(
        TrustedDomain.objects.get_or_create(domain=domain, defaults={"note": note})[1]
        for domain, note in TRUSTED_DOMAINS.items()
    )
    created_rules = 0
    for name, kind, min_sources, window_days, category, reason, duration_days in RULES:
        _, created = ListingRule.objects.get_or_create(
            kind=kind,
            min_sources=min_sources,
            window_days=window_days,
            defaults={
                "name": name,
                "category": category,
                "reason": reason,
                "duration_days": duration_days,
                # Only look-alikes of a protected brand are listed without staff; the rest is proposed to them.
                "lists_lookalikes": kind == Kind.SITE,
            },
        )
        created_rules += created
    counts["rules"] = created_rules
    thresholds = {}
    for rule in ListingRule.objects.filter(is_active=True):
        thresholds[rule.kind] = min(thresholds.get(rule.kind, rule.min_sources), rule.min_sources)

    waves = [*WAVES, EXPIRED_WAVE, LIFTED_WAVE]
    waves += _generated_waves(rng, {wave.text for wave in waves})
    staff_expiry = now + timedelta(days=settings.ANTISCAM_DEFAULT_LISTING_DAYS)

    # Staff listings first, so that no rule lists these indicators before staff do.
    staff_listings = {}
    for wave in waves:
        if wave.staff is None:
            continue
        values = services.indicator_values(_found(wave.text))
        value = values[0]
        if wave.staff.target == "site" and values[0].kind == Kind.URL:
            value = values[1]
        expires_at = staff_expiry if wave is not EXPIRED_WAVE else now + timedelta(hours=1)
        staff_listings[wave.text] = services.list_indicator(
            indicator=services.get_or_create_indicator(value),
            category=wave.staff.category,
            reason=wave.staff.reason,
            expires_at=expires_at,
            origin=Listing.Origin.STAFF,
            by=staff_user,
        )

    staff_keys = {listing.indicator.key for listing in staff_listings.values()}
    trusted = set(TrustedDomain.objects.values_list("domain", flat=True))

    # Reports: one of each wave through the service, the others bulk-created. A wave a rule lists has its earlier
    # reports created first in the rule's window, so that the service's report meets the rule, as it would have;
    # these and the service's reports (dated now) are given their dates afterwards.
    sources = _Sources(rng)
    final_dates = defaultdict(list)  # indicator pk -> dates of its reports dated now for the time being, in order
    bulk = []
    for wave in waves:
        found = _found(wave.text)
        values = services.indicator_values(found)
        threshold = _rule_threshold(found, values, thresholds, staff_keys, trusted)
        if wave.rule and threshold is None:
            raise ValueError(f"No rule can list the demonstration indicator {wave.text!r}")
        keys = sources.for_wave(wave.reports, None if wave.rule or threshold is None else threshold - 1)
        dates = [now - timedelta(days=age) for age in _ages(rng, wave)]
        position = _meeting_rule(keys, threshold) if wave.rule else 0
        if position:
            indicators = [services.get_or_create_indicator(value) for value in values]
            Report.objects.bulk_create(
                Report(indicator=indicator, incident_code=wave.incident, reported_at=now, source_key=key)
                for key in keys[:position]
                for indicator in indicators
            )
            for indicator in indicators:
                final_dates[indicator.pk] += dates[:position]
        recorded = services.record_reports(found=[found], incident_code=wave.incident, source=keys[position])
        for indicator in recorded:
            final_dates[indicator.pk].append(dates[position])
        bulk += [
            Report(indicator=indicator, incident_code=wave.incident, reported_at=date, source_key=key)
            for key, date in zip(keys[position + 1 :], dates[position + 1 :], strict=True)
            for indicator in recorded
        ]
    dated = []
    # Every report so far was written in this loop (the demonstration is loaded only when none exists).
    for pk, indicator_pk in Report.objects.order_by("pk").values_list("pk", "indicator"):
        dated.append(Report(pk=pk, reported_at=final_dates[indicator_pk].pop(0)))
    if any(final_dates.values()):
        raise RuntimeError("The reports recorded through the service do not match the demonstration waves.")
    Report.objects.bulk_update(dated, ["reported_at"], batch_size=500)
    Report.objects.bulk_create(bulk, batch_size=1000)
    _recount_indicators()

    # The expired listing: its time is up, the periodic job closes it.
    expired = staff_listings[EXPIRED_WAVE.text]
    Listing.objects.filter(pk=expired.pk).update(
        listed_at=now - timedelta(days=84), expires_at=now - timedelta(days=3)
    )
    services.expire_listings()
    services.lift_listing(staff_listings[LIFTED_WAVE.text], by=staff_user, reason=LIFT_REASON)

    batch = services.import_list(
        content=IMPORT_LINES.encode(),
        file_name=IMPORT_FILE_NAME,
        source=IMPORT_SOURCE,
        category=Category.PHISHING,
        reason="Site d'hameçonnage signalé à Signal Spam et confirmé par son équipe.",
        expires_at=now + timedelta(days=settings.ANTISCAM_DEFAULT_LISTING_DAYS),
        by=staff_user,
    )
    counts["import_listings"] = batch.listed_count
    counts["import_skipped"] = len(batch.skipped)

    _create_contests(staff_user)

    counts["indicators"] = Indicator.objects.count()
    counts["reported_indicators"] = Indicator.objects.filter(report_count__gt=0).count()
    counts["reports"] = Report.objects.count()
    listings = Listing.objects.all()
    counts["active_listings"] = listings.active().count()
    counts["staff_listings"] = listings.filter(origin=Listing.Origin.STAFF).count()
    counts["rule_listings"] = listings.filter(origin=Listing.Origin.RULE).count()
    counts["expired_listings"] = listings.filter(status=Listing.Status.EXPIRED).count()
    counts["lifted_listings"] = listings.filter(status=Listing.Status.LIFTED).count()
    counts["contests"] = Contest.objects.count()
    counts["pending_contests"] = Contest.objects.filter(status=Contest.Status.PENDING).count()
    return {key: counts[key] for key in COUNT_KEYS}


def _recount_indicators() -> None:
    """Counters and dates of every reported indicator from its reports (the bulk-created ones, the new dates)."""
    reports = Report.objects.filter(indicator=OuterRef("pk")).order_by().values("indicator")
    Indicator.objects.filter(pk__in=Report.objects.values("indicator")).update(
        report_count=Subquery(reports.annotate(count=Count("pk")).values("count")),
        source_count=Coalesce(
            Subquery(
                reports.exclude(source_key="").annotate(count=Count("source_key", distinct=True)).values("count")
            ),
            0,
        ),
        first_reported_at=Subquery(reports.annotate(first=Min("reported_at")).values("first")),
        last_reported_at=Subquery(reports.annotate(last=Max("reported_at")).values("last")),
    )
    Indicator.objects.filter(first_reported_at__lt=F("created_at")).update(created_at=F("first_reported_at"))


def _create_contests(staff_user) -> None:
    address, name, email, message, note = CONTESTS["upheld"]
    upheld = services.submit_contest(address=address, name=name, email=email, message=message)
    services.decide_contest(upheld, uphold=True, note=note, by=staff_user)
    address, name, email, message, note = CONTESTS["rejected"]
    rejected = services.submit_contest(address=address, name=name, email=email, message=message)
    services.decide_contest(rejected, uphold=False, note=note, by=staff_user)
    for address, name, email, message in CONTESTS["pending"]:
        services.submit_contest(address=address, name=name, email=email, message=message)
