"""The fixed lists content is tagged with: audiences and themes (codes are stable, names may change)."""

AUDIENCES = [
    ("particuliers", "Particuliers"),
    ("professionnels", "Professionnels (entreprises et associations)"),
    ("collectivites", "Collectivités"),
]

THEMES = [
    ("messagerie", "Messages, courriels et hameçonnage"),
    ("mots-de-passe", "Mots de passe et comptes en ligne"),
    ("sauvegardes", "Sauvegardes"),
    ("mises-a-jour", "Mises à jour"),
    ("mobile", "Téléphone mobile et tablette"),
    ("reseaux-sociaux", "Réseaux sociaux"),
    ("banque", "Banque et paiements"),
    ("achats", "Achats, ventes et locations en ligne"),
    ("logiciels-malveillants", "Rançongiciels et logiciels malveillants"),
    ("arnaques", "Escroqueries et manipulations"),
    ("donnees-personnelles", "Vie privée et données personnelles"),
    ("entreprise", "Sécurité des entreprises, associations et collectivités"),
    ("harcelement", "Harcèlement, chantage et contenus illicites"),
]

# The diagnostic's audiences, as the content names them.
DIAGNOSTIC_TO_CONTENT_AUDIENCE = {
    "particulier": "particuliers",
    "entreprise": "professionnels",
    "association": "professionnels",
    "collectivite": "collectivites",
}
