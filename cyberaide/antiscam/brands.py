"""The brands and administrations the look-alike rule protects, as plain Python data (no Django).

Each brand lists its official *registrable* domains (``ameli.fr``; for the State, the full name under ``gouv.fr``:
``impots.gouv.fr``) and the distinctive words that identify it inside a host name. Tokens are written lowercase, in
ASCII, without separators: ``creditagricole`` stands for "credit-agricole", "creditagricole" and "credit.agricole"
alike, because the rule compares them with host names whose hyphens it has removed or split on.

Only domains we know to be the brand's own are listed: a missing official domain makes the rule warn about a real
site (a false alarm we can correct), a wrong one would silence it on a fake (a miss nobody sees). When a brand runs
sites in several countries, the main ones are listed; the others fall to the rule and are reported.

Which tokens are "weak" (short, or ordinary words such as "orange", "free" or "total") is decided by the rule in
``lookalike.py``: a token of four letters or fewer, or a word listed in ``ORDINARY_WORDS``, never fires alone.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Brand:
    code: str
    name: str  # French display name, with its article: "l'Assurance maladie (ameli)", "le Crédit Agricole"
    domains: tuple[str, ...]  # official registrable domains (or official hosts below one, such as mabanque.bnpparibas)
    tokens: tuple[str, ...]  # distinctive words, lowercase ASCII, separators removed


BRANDS: tuple[Brand, ...] = (
    # --- Administrations and public bodies -------------------------------------------------------------------------
    Brand("ameli", "l'Assurance maladie (ameli)", ("ameli.fr",), ("ameli", "assurancemaladie", "cpam")),
    Brand("impots", "l'administration fiscale (DGFiP)", ("impots.gouv.fr",), ("impots", "dgfip")),
    Brand(
        "antai",
        "l'Agence nationale de traitement automatisé des infractions (ANTAI)",
        ("antai.gouv.fr", "amendes.gouv.fr"),
        ("antai", "amendes"),
    ),
    Brand("ants", "l'Agence nationale des titres sécurisés (ANTS)", ("ants.gouv.fr",), ("ants",)),
    Brand(
        "service_public",
        "le site officiel de l'administration française (Service Public)",
        ("service-public.fr", "service-public.gouv.fr"),
        ("servicepublic",),
    ),
    Brand("caf", "la Caisse d'allocations familiales (CAF)", ("caf.fr",), ("caf",)),
    Brand(
        "france_travail",
        "France Travail (ex-Pôle emploi)",
        ("francetravail.fr", "francetravail.org", "pole-emploi.fr", "pole-emploi.org"),
        ("francetravail", "poleemploi"),
    ),
    Brand(
        "cpf",
        "Mon Compte Formation (CPF)",
        ("moncompteformation.gouv.fr",),
        ("moncompteformation", "compteformation", "cpf"),
    ),
    Brand("urssaf", "l'Urssaf", ("urssaf.fr",), ("urssaf",)),
    Brand(
        "critair",
        "le service officiel des vignettes Crit'Air",
        ("certificat-air.gouv.fr",),
        ("critair", "certificatair"),
    ),
    Brand("franceconnect", "FranceConnect", ("franceconnect.gouv.fr",), ("franceconnect",)),
    Brand("cheque_energie", "le chèque énergie", ("chequeenergie.gouv.fr",), ("chequeenergie",)),
    Brand("banque_de_france", "la Banque de France", ("banque-france.fr",), ("banquedefrance",)),
    # --- Parcels ---------------------------------------------------------------------------------------------------
    Brand(
        "laposte",
        "La Poste",
        ("laposte.fr", "laposte.net", "colissimo.fr", "groupelaposte.com"),
        ("laposte", "colissimo", "poste"),
    ),
    Brand("chronopost", "Chronopost", ("chronopost.fr",), ("chronopost",)),
    Brand("dhl", "DHL", ("dhl.com", "dhl.fr", "dhl.de"), ("dhl",)),
    Brand("dpd", "DPD", ("dpd.fr", "dpd.com"), ("dpd",)),
    Brand("mondial_relay", "Mondial Relay", ("mondialrelay.fr", "mondialrelay.com"), ("mondialrelay",)),
    Brand("colis_prive", "Colis Privé", ("colisprive.fr", "colisprive.com"), ("colisprive",)),
    # --- Banks -----------------------------------------------------------------------------------------------------
    Brand("credit_agricole", "le Crédit Agricole", ("credit-agricole.fr", "credit-agricole.com"), ("creditagricole",)),
    Brand(
        "bnp_paribas",
        "BNP Paribas",
        ("mabanque.bnpparibas", "group.bnpparibas", "bnpparibas.com", "bnpparibas.net"),
        ("bnpparibas", "bnp"),
    ),
    Brand(
        "societe_generale",
        "la Société Générale",
        ("societegenerale.fr", "societegenerale.com", "particuliers.sg.fr"),
        ("societegenerale",),
    ),
    Brand("lcl", "LCL", ("lcl.fr",), ("lcl",)),
    Brand("caisse_epargne", "la Caisse d'Épargne", ("caisse-epargne.fr",), ("caissedepargne", "caisseepargne")),
    Brand("banque_populaire", "la Banque Populaire", ("banquepopulaire.fr",), ("banquepopulaire",)),
    Brand("credit_mutuel", "le Crédit Mutuel", ("creditmutuel.fr",), ("creditmutuel",)),
    Brand("cic", "le CIC", ("cic.fr",), ("cic",)),
    Brand("la_banque_postale", "La Banque Postale", ("labanquepostale.fr",), ("labanquepostale", "banquepostale")),
    Brand(
        "boursobank",
        "BoursoBank (ex-Boursorama)",
        ("boursobank.com", "boursorama.com", "boursorama-banque.com"),
        ("boursobank", "boursorama"),
    ),
    Brand("hello_bank", "Hello bank!", ("hellobank.fr",), ("hellobank",)),
    Brand("fortuneo", "Fortuneo", ("fortuneo.fr",), ("fortuneo",)),
    Brand("qonto", "Qonto", ("qonto.com",), ("qonto",)),
    # --- Telecoms --------------------------------------------------------------------------------------------------
    Brand("orange", "Orange", ("orange.fr", "orange.com", "sosh.fr"), ("orange", "sosh")),
    Brand("sfr", "SFR", ("sfr.fr", "red-by-sfr.fr"), ("sfr",)),
    Brand("free", "Free", ("free.fr", "free-mobile.fr"), ("free", "freebox", "freemobile")),
    Brand("bouygues_telecom", "Bouygues Telecom", ("bouyguestelecom.fr",), ("bouyguestelecom", "bouygues", "bbox")),
    # --- Energy ----------------------------------------------------------------------------------------------------
    Brand("edf", "EDF", ("edf.fr",), ("edf",)),
    Brand("engie", "Engie", ("engie.fr", "engie.com"), ("engie",)),
    Brand("totalenergies", "TotalEnergies", ("totalenergies.fr", "totalenergies.com"), ("totalenergies", "total")),
    # --- Services often imitated -----------------------------------------------------------------------------------
    Brand("netflix", "Netflix", ("netflix.com",), ("netflix",)),
    Brand(
        "amazon",
        "Amazon",
        (
            "amazon.fr",
            "amazon.com",
            "amazon.de",
            "amazon.co.uk",
            "amazon.es",
            "amazon.it",
            "amazon.com.be",
            "amazon.nl",
            "amazon.ca",
            "amazon.co.jp",
            "amazon.jobs",
        ),
        ("amazon",),
    ),
    Brand("paypal", "PayPal", ("paypal.com", "paypal.me"), ("paypal",)),
    Brand(
        "microsoft",
        "Microsoft",
        (
            "microsoft.com",
            "microsoftonline.com",
            "live.com",
            "outlook.com",
            "office.com",
            "office365.com",
            "hotmail.com",
            "hotmail.fr",
            "msn.com",
        ),
        ("microsoft", "microsoftonline", "outlook", "hotmail", "office365"),
    ),
    Brand("apple", "Apple", ("apple.com", "icloud.com"), ("apple", "icloud", "appleid")),
    Brand(
        "vinted",
        "Vinted",
        ("vinted.fr", "vinted.com", "vinted.de", "vinted.es", "vinted.it", "vinted.be", "vinted.nl", "vinted.co.uk"),
        ("vinted",),
    ),
    Brand("leboncoin", "Leboncoin", ("leboncoin.fr",), ("leboncoin",)),
    Brand("doctolib", "Doctolib", ("doctolib.fr", "doctolib.de", "doctolib.it"), ("doctolib",)),
    Brand("sncf_connect", "SNCF Connect", ("sncf-connect.com", "sncf.com"), ("sncfconnect", "sncf")),
)

# Ordinary French or English words (and first names) that are a brand token or lie one typing mistake away from
# one. They are everyday words in site names ("orange-bleue.fr", "free-run.fr", "amelie-fleurs.fr",
# "engine-parts.fr"), so the rule never reports them alone: it wants a second sign, such as a word phishing pages use
# ("remboursement", "connexion"…).
ORDINARY_WORDS: frozenset[str] = frozenset(
    {
        # tokens that are ordinary words
        "amendes",
        "apple",
        "bouygues",
        "free",
        "orange",
        "outlook",
        "poste",
        "total",
        # one edit away from a token
        "amazone",  # amazon
        "amazons",
        "amelia",  # ameli
        "amelie",
        "antan",  # antai
        "engine",  # engie
        "fortune",  # fortuneo
        "impot",  # impots
        "vented",  # vinted
    }
)
