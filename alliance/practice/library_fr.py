"""The built-in practice library in Canadian French (fr-ca). Written for Alliance; needs review
by a native speaker who works in the field (docs/languages.md). Keys are the practices' slugs."""

from __future__ import annotations

from alliance.practice.library_wording import Wording

FRENCH: dict[str, Wording] = {
    "steady-breath": Wording(
        "Respirer calmement",
        "Ralentir le corps pour que la partie de toi qui réfléchit reprenne le dessus.",
        (
            "Assieds-toi, les deux pieds au sol.",
            "Inspire par le nez en comptant jusqu’à quatre.",
            "Expire lentement en comptant jusqu’à six, un peu plus longtemps qu’à l’inspiration.",
            "Laisse tomber les épaules à chaque expiration.",
            "Continue jusqu’à la fin de la minuterie; si ton esprit s’égare, reviens au compte.",
        ),
        "Trouve un endroit où t’asseoir. Pose les pieds à plat. Inspire... deux, trois, quatre. "
        "Et expire, lentement... deux, trois, quatre, cinq, six. Rien à régler pour l’instant. "
        "À chaque expiration, laisse tes épaules descendre un peu. Si des pensées viennent, "
        "remarque-les et reviens au compte. Inspire... et expire.",
    ),
    "feet-on-the-ground": Wording(
        "Les pieds sur terre",
        "Une façon rapide de te calmer quand la colère ou la panique commence à monter.",
        (
            "Appuie tes pieds contre le sol et remarque la pression.",
            "Nomme cinq choses que tu peux voir.",
            "Nomme trois choses que tu peux entendre.",
            "Sens le poids de ton corps sur la chaise.",
            "Dis-toi : je suis ici, je peux choisir ce que je fais maintenant.",
        ),
        "Pousse tes pieds dans le sol. Sens qu’il te soutient. Regarde autour de toi et nomme "
        "cinq choses que tu vois, à voix haute ou dans ta tête. Maintenant trois sons. "
        "Remarque la chaise sous toi. Dis-toi : je suis ici. Je peux choisir ce que je fais "
        "maintenant.",
    ),
    "anger-early-signs": Wording(
        "Repérer les premiers signes",
        "Connaître tes propres signaux d’alarme pour prendre du recul avant d’agir.",
        (
            "Rappelle-toi une fois récente où tu as senti l’irritation monter (pas la pire).",
            "Remarque où elle est apparue en premier : mâchoire, poitrine, mains, visage, voix.",
            "Donne un nom court à ce signe.",
            "Prévois une chose que tu feras la prochaine fois que ce signe apparaîtra.",
        ),
        "Pense à un moment récent où tu as commencé à te sentir irrité. Pas ton pire moment, "
        "juste un petit. Où dans ton corps est-ce que ça a commencé? Peut-être que ta mâchoire "
        "s’est serrée, que ta poitrine a chauffé, que tes mains se sont fermées. Donne un nom à "
        "ce signe. Imagine-le maintenant qui revient la semaine prochaine, et vois-toi faire "
        "une chose différente : respirer, sortir un moment, parler plus lentement.",
    ),
    "time-out": Wording(
        "Prendre un temps d’arrêt respectueux",
        "Quitter un moment tendu en sécurité et y revenir, sans le fuir.",
        (
            "Conviens d’avance de tes mots, par exemple : « J’ai besoin de vingt minutes; je "
            "vais revenir ».",
            "Quand tu remarques tes signaux d’alarme, dis ces mots calmement et quitte la pièce.",
            "Ne conduis pas, ne bois pas et ne rejoue pas la dispute; marche ou respire plutôt.",
            "Reviens à l’heure prévue et demande si c’est un bon moment pour parler.",
        ),
        "Imagine que la dispute commence à s’envenimer. Tu remarques ton signe. Tu dis tes "
        "mots : j’ai besoin de temps; je vais revenir. Tu sors sans rien claquer. Dehors, "
        "respire lentement. Tu ne gagnes pas et tu ne perds pas; tu gardes tout le monde en "
        "sécurité. Quand le temps est écoulé, tu reviens et tu demandes si c’est un bon moment.",
    ),
    "compassionate-self": Wording(
        "Devenir ton soi bienveillant",
        "T’exercer à entrer dans la partie de toi qui est forte, sage et qui veut aider.",
        (
            "Respire lentement pendant une minute.",
            "Imagine-toi sous ton jour le plus stable, le plus sage et le plus bienveillant.",
            "Remarque ta posture, ta voix et ton visage quand tu es cette personne.",
            "Demande-toi : que ferait aujourd’hui cette version de moi?",
        ),
        "Laisse ta respiration ralentir. Imagine maintenant la version de toi qui est calme, "
        "forte et attentionnée : quelqu’un qui n’a pas besoin de gagner, qui peut prendre ses "
        "responsabilités. Comment s’assoit-il? Comment parle-t-il? Laisse ton visage "
        "s’adoucir comme le sien. Demande-lui : que ferais-tu aujourd’hui? Écoute la réponse.",
    ),
    "kind-voice": Wording(
        "Une voix intérieure plus douce",
        "Remplacer le discours dur envers toi-même, qui nourrit la honte, par une voix qui "
        "soutient le changement.",
        (
            "Écris une chose dure que tu t’es dite cette semaine.",
            "Remarque comment ton corps réagit quand tu la lis.",
            "Écris ce que dirait un bon entraîneur ou un ami : honnête, mais de ton côté.",
            "Lis les nouveaux mots deux fois, lentement.",
        ),
        "Pense à une chose dure que tu t’es dite cette semaine. Remarque l’effet sur ton corps. "
        "La honte nous pousse souvent à nous cacher ou à attaquer. Imagine maintenant un "
        "entraîneur qui croit en toi. Il est honnête sur ce qui n’a pas marché et il est de ton "
        "côté. Que te dirait-il? Dis-toi ces mots lentement, deux fois.",
    ),
    "partner-experience": Wording(
        "Son côté de la pièce",
        "Mieux comprendre comment ta partenaire vit ton comportement.",
        (
            "Choisis un moment de conflit dont tu te souviens clairement.",
            "Imagine la pièce de l’endroit où elle se tenait.",
            "Demande-toi : qu’a-t-elle vu, entendu et craint à ce moment-là?",
            "Remarque toute envie de te défendre et mets-la de côté pour l’instant.",
            "Écris une phrase sur ce que ça a pu être pour elle.",
        ),
        "Rappelle-toi un moment de conflit. Déplace-toi maintenant, dans ta tête, là où elle se "
        "tenait. Que voyait-elle quand elle te regardait? À quel point ta voix était-elle forte "
        "de là? Qu’est-ce qu’elle craignait qu’il arrive ensuite? Si tu remarques l’envie "
        "d’expliquer ou de te défendre, laisse-la attendre. Reste simplement de son côté un "
        "moment.",
    ),
    "child-experience": Wording(
        "Avec les yeux d’un enfant",
        "Comprendre ce que les enfants perçoivent quand il y a de la peur à la maison.",
        (
            "Pense à un enfant qui était proche quand il y avait des cris ou de la peur à la "
            "maison.",
            "Imagine sa taille, ce qu’il pouvait entendre de sa chambre ou de la porte.",
            "Demande-toi : de quoi avait-il besoin de la part des adultes à ce moment-là?",
            "Choisis une façon d’aider un enfant à se sentir en sécurité cette semaine.",
        ),
        "Pense à un enfant qui était tout près quand c’était tendu. Fais-toi de sa taille dans "
        "ton imagination. D’en bas, les adultes sont très grands et très bruyants. Qu’est-ce "
        "qu’il pouvait entendre? Qu’est-ce qu’il espérait que quelqu’un fasse? Reste avec ça un "
        "moment. Pense maintenant à une petite chose que tu peux faire cette semaine pour qu’un "
        "enfant se sente en sécurité avec toi.",
    ),
    "perspective-taking": Wording(
        "Deux récits d’un même événement",
        "T’exercer à voir un même événement du point de vue d’une autre personne.",
        (
            "Écris trois lignes qui décrivent un désaccord récent, avec tes mots.",
            "Écris trois lignes qui le décrivent comme l’autre personne le raconterait.",
            "Souligne où les deux récits diffèrent.",
            "Choisis une chose dans son récit que tu peux accepter comme vraie.",
        ),
        "Pense à un désaccord récent. D’abord, raconte-le comme tu t’en souviens. Raconte-le "
        "maintenant comme l’autre personne le ferait, avec ses mots, avec ses inquiétudes. Où "
        "les deux récits se séparent-ils? Trouve une chose dans son récit que tu peux accepter "
        "comme vraie, même si c’est inconfortable.",
    ),
    "owning-it": Wording(
        "Nommer ce que j’ai fait",
        "Décrire ton propre comportement simplement, sans minimiser, nier ni blâmer.",
        (
            "Décris une chose que tu as faite, avec « je » et un verbe d’action.",
            "Enlève les mots qui la rapetissent (« juste », « seulement », « un peu »).",
            "Enlève les raisons qui pointent vers quelqu’un d’autre (« parce qu’elle... »).",
            "Lis la phrase telle quelle et remarque ce que ça fait de l’assumer.",
        ),
        "Pense à une chose que tu as faite et qui a blessé quelqu’un. Dis-la en une phrase qui "
        "commence par je. Écoute maintenant les petits mots comme juste ou seulement, et "
        "enlève-les. Écoute s’il y a parce qu’elle ou parce qu’il, et enlève-le aussi. Ce qui "
        "reste t’appartient. L’assumer est difficile, et c’est le début pour devenir quelqu’un "
        "en qui on peut avoir confiance.",
    ),
    "repair-plan": Wording(
        "Planifier une réparation",
        "Planifier un geste qui améliore les choses pour la personne touchée, selon ce qu’elle "
        "veut.",
        (
            "Nomme qui a été touché et de quelle façon.",
            "Pense à ce qui l’aiderait, elle, et non à ce qui te ferait te sentir mieux.",
            "Vérifie que le contact est permis et souhaité; sinon, choisis une réparation qui "
            "n’en demande pas.",
            "Écris un geste concret et quand tu le feras.",
            "Parle du plan avec ton animateur avant de passer à l’action.",
        ),
        "Pense à quelqu’un qui a été touché par ce que tu as fait. Qu’est-ce qui l’aiderait "
        "vraiment? Pas des excuses qui lui demandent de te pardonner, mais quelque chose qui "
        "rend sa vie un peu plus sûre ou plus facile. Rappelle-toi qu’une réparation doit "
        "respecter toute ordonnance et ses souhaits; certaines réparations ne demandent aucun "
        "contact, comme tenir chaque engagement envers les enfants. Choisis un geste et quand "
        "tu le poseras.",
    ),
    "gratitude-connection": Wording(
        "Remarquer les liens",
        "Renforcer le sentiment d’être relié aux autres, qui rend la violence moins probable.",
        (
            "Rappelle-toi trois moments cette semaine où quelqu’un a été gentil ou t’a aidé.",
            "Pour chacun, remarque ce que tu as ressenti dans ton corps.",
            "Rappelle-toi un moment où tu as été gentil ou as aidé quelqu’un.",
            "Décide comment tu transmettras un geste de gentillesse demain.",
        ),
        "Rappelle-toi trois moments cette semaine où quelqu’un a fait quelque chose de gentil "
        "pour toi, même petit. Reste avec chacun le temps de quelques respirations. Rappelle-toi "
        "maintenant un moment où tu as aidé quelqu’un. Remarque ce que ça t’a fait. Demain, "
        "transmets un geste de gentillesse.",
    ),
    "loving-kindness": Wording(
        "Souhaiter du bien",
        "Cultiver le souhait que les autres, et toi-même, soient en sécurité et bien.",
        (
            "Respire lentement pendant une minute.",
            "Souhaite-toi en silence : que je sois en sécurité, que je sois stable, que j’agisse "
            "avec soin.",
            "Pense à quelqu’un qui compte pour toi et souhaite-lui la même chose.",
            "Pense à quelqu’un que tu trouves difficile et, si tu peux, souhaite-lui la même "
            "chose.",
        ),
        "Respire lentement. Dis-toi : que je sois en sécurité. Que je sois stable. Que j’agisse "
        "avec soin. Imagine maintenant quelqu’un que tu aimes et souhaite-lui la même chose : "
        "que tu sois en sécurité, que tu ailles bien. Maintenant quelqu’un que tu trouves "
        "difficile. Si tu peux, offre-lui le même souhait. Si tu ne peux pas encore, c’est "
        "correct; remarque-le aussi.",
    ),
    "reach-out": Wording(
        "Joindre une personne qui te soutient",
        "Prendre contact avec quelqu'un qui appuie les changements que tu fais, pour ne pas "
        "les faire seul.",
        (
            "Pense à une personne qui appuie les changements que tu fais (pas quelqu'un avec "
            "qui tu bois ou te disputes).",
            "Choisis comment la joindre cette semaine : un appel, un message, une visite ou "
            "un café.",
            "Dis-lui une chose vraie sur la façon dont se passe ta semaine.",
            "Ensuite, remarque comment tu te sens et note-le dans ton journal.",
        ),
        "Pense aux personnes de ta vie qui veulent du bien pour toi et pour ton entourage. "
        "Choisis-en une. Imagine que tu l'appelles ou que tu la vois cette semaine. Que lui "
        "dirais-tu? Ça peut être simple : comment s'est passée ta semaine, une chose sur "
        "laquelle tu travailles. Tendre la main n'est pas une faiblesse; c'est ainsi que les "
        "gens forts restent solides.",
    ),
    "moment-of-connection": Wording(
        "Remarquer un moment de lien",
        "Entraîner ton attention à saisir les petits moments où tu te sens faire partie de "
        "quelque chose.",
        (
            "Une fois par jour, arrête-toi et cherche un moment de lien : une salutation, un "
            "rire partagé, un travail fait ensemble.",
            "Reste avec ce moment pendant trois respirations lentes.",
            "Nomme ce qui t'a fait sentir ce lien.",
            "Écris une ligne à ce sujet avant de dormir.",
        ),
        "Quelque part aujourd'hui, il y a eu un moment où tu t'es senti, même un peu, faire "
        "partie de quelque chose : un signe d'un voisin, une blague au travail, la main d'un "
        "enfant. Retrouve-le. Respire lentement trois fois et laisse-le être là. Qu'est-ce qui "
        "t'a fait sentir ça? Dis-le-toi, et écris une ligne à ce sujet ce soir.",
    ),
    "show-up": Wording(
        "Aller là où tu as ta place",
        "Passer du temps avec d'autres dans un lieu sûr et positif : un club, une équipe, un "
        "groupe de foi ou de rétablissement.",
        (
            "Fais la liste de deux ou trois endroits où des gens se rencontrent pour faire "
            "quelque chose de bien ensemble.",
            "Choisis-en un où tu peux aller cette semaine.",
            "Vas-y et reste jusqu'à la fin, même si c'est gênant.",
            "Parle avec au moins une personne sur place.",
            "Ensuite, écris comment ça s'est passé et si tu y retourneras.",
        ),
        "Pense à des endroits où les gens se réunissent pour faire quelque chose qui en vaut "
        "la peine : un gym, une équipe sportive, une église ou une mosquée, une réunion de "
        "rétablissement, une équipe de bénévoles. Choisis-en un. Imagine-toi en train "
        "d'entrer. Ça peut être gênant, et c'est normal. Reste, salue une personne et "
        "remarque que tu y es le bienvenu.",
    ),
}
