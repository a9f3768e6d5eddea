"""The built-in practice library in Spanish (es). Written for Alliance; needs review by a
native speaker who works in the field (docs/languages.md). Keys are the practices' slugs."""

from __future__ import annotations

from alliance.practice.library_wording import Wording

SPANISH: dict[str, Wording] = {
    "steady-breath": Wording(
        "Respiración pausada",
        "Calmar el cuerpo para que la parte de ti que piensa vuelva a funcionar.",
        (
            "Siéntate con los dos pies en el suelo.",
            "Inhala por la nariz contando hasta cuatro.",
            "Exhala despacio contando hasta seis, un poco más que al inhalar.",
            "Deja caer los hombros cada vez que exhalas.",
            "Sigue hasta que termine el temporizador; si la mente se distrae, vuelve a contar.",
        ),
        "Busca un lugar para sentarte. Deja los pies planos en el suelo. Inhala... dos, tres, "
        "cuatro. Y exhala, despacio... dos, tres, cuatro, cinco, seis. No hay nada que arreglar "
        "ahora. Cada vez que exhalas, deja que los hombros bajen un poco. Si llegan "
        "pensamientos, nótalos y vuelve a contar. Inhala... y exhala.",
    ),
    "feet-on-the-ground": Wording(
        "Los pies en el suelo",
        "Una forma rápida de calmarte cuando el enojo o el pánico empiezan a subir.",
        (
            "Presiona los pies contra el suelo y nota la presión.",
            "Nombra cinco cosas que puedes ver.",
            "Nombra tres cosas que puedes oír.",
            "Siente el peso de tu cuerpo en la silla.",
            "Dite a ti mismo: estoy aquí, puedo elegir lo que hago ahora.",
        ),
        "Empuja los pies contra el suelo. Siente cómo te sostiene. Mira alrededor y nombra "
        "cinco cosas que ves, en voz alta o en silencio. Ahora tres sonidos. Nota la silla "
        "debajo de ti. Dite: estoy aquí. Puedo elegir lo que hago ahora.",
    ),
    "anger-early-signs": Wording(
        "Detectar las primeras señales",
        "Conocer tus propias señales de alerta para dar un paso atrás antes de actuar.",
        (
            "Recuerda una vez reciente en que sentiste subir la irritación (no la peor vez).",
            "Nota dónde apareció primero: mandíbula, pecho, manos, cara, voz.",
            "Ponle a esa señal un nombre corto.",
            "Planea una cosa que harás la próxima vez que aparezca esa señal.",
        ),
        "Piensa en un momento reciente en que empezaste a sentirte irritado. No el peor "
        "momento, solo uno pequeño. ¿En qué parte del cuerpo empezó? Tal vez se apretó la "
        "mandíbula, se calentó el pecho, se cerraron las manos. Ponle nombre a esa señal. "
        "Ahora imagina que aparece la próxima semana y mírate haciendo una cosa distinta: "
        "respirar, salir un momento, hablar más despacio.",
    ),
    "time-out": Wording(
        "Tomar un tiempo fuera respetuoso",
        "Salir con seguridad de un momento tenso y volver a él, sin abandonarlo.",
        (
            "Acuerda de antemano tus palabras, por ejemplo: «Necesito veinte minutos; voy a "
            "volver».",
            "Cuando notes tus señales de alerta, di esas palabras con calma y sal de la "
            "habitación.",
            "No manejes, no bebas y no repases la discusión; camina o respira.",
            "Vuelve a la hora que dijiste y pregunta si es buen momento para hablar.",
        ),
        "Imagina que la discusión empieza a calentarse. Notas tu señal. Dices tus palabras: "
        "necesito un tiempo; voy a volver. Sales sin golpear nada. Afuera, respira despacio. "
        "No estás ganando ni perdiendo; estás manteniendo a todos a salvo. Cuando se cumple el "
        "tiempo, vuelves y preguntas si ahora es buen momento.",
    ),
    "compassionate-self": Wording(
        "Ser tu yo compasivo",
        "Practicar entrar en la parte de ti que es fuerte, sabia y quiere ayudar.",
        (
            "Respira despacio durante un minuto.",
            "Imagínate en tu versión más firme, sabia y amable.",
            "Nota tu postura, tu voz y tu cara como esa persona.",
            "Pregúntate: ¿qué haría hoy esta versión de mí?",
        ),
        "Deja que tu respiración se haga más lenta. Ahora imagina la versión de ti que está "
        "tranquila, es fuerte y se preocupa por los demás: alguien que no necesita ganar, que "
        "puede hacerse responsable. ¿Cómo se sienta? ¿Cómo habla? Deja que tu cara se suavice "
        "como lo haría la suya. Pregúntale: ¿qué harías hoy? Escucha la respuesta.",
    ),
    "kind-voice": Wording(
        "Una voz interior más amable",
        "Cambiar la forma dura de hablarte, que alimenta la vergüenza, por una voz que apoya "
        "el cambio.",
        (
            "Escribe una cosa dura que te dijiste esta semana.",
            "Nota cómo reacciona tu cuerpo al leerla.",
            "Escribe lo que te diría un buen entrenador o un amigo: honesto, pero de tu lado.",
            "Lee las nuevas palabras dos veces, despacio.",
        ),
        "Piensa en algo duro que te dijiste esta semana. Nota lo que le hace a tu cuerpo. La "
        "vergüenza suele hacernos escondernos o atacar. Ahora imagina a un entrenador que cree "
        "en ti. Es honesto sobre lo que salió mal y está de tu lado. ¿Qué te diría? Dite esas "
        "palabras despacio, dos veces.",
    ),
    "partner-experience": Wording(
        "Su lado de la habitación",
        "Comprender cómo vive tu pareja tu comportamiento.",
        (
            "Elige un momento de conflicto que recuerdes con claridad.",
            "Imagina la habitación desde donde ella estaba.",
            "Pregúntate: ¿qué vio, qué oyó y qué temió en ese momento?",
            "Nota cualquier impulso de defenderte y déjalo a un lado por ahora.",
            "Escribe una frase sobre cómo pudo haber sido para ella.",
        ),
        "Trae a la mente un momento de conflicto. Ahora muévete, en tu mente, a donde ella "
        "estaba. ¿Qué veía cuando te miraba? ¿Qué tan fuerte sonaba tu voz desde ahí? ¿Qué "
        "temía que pasara después? Si notas que quieres explicar o defenderte, deja que espere. "
        "Quédate un momento de su lado.",
    ),
    "child-experience": Wording(
        "Con los ojos de un niño",
        "Entender lo que perciben los niños cuando hay miedo en casa.",
        (
            "Piensa en un niño que estaba cerca cuando hubo gritos o miedo en casa.",
            "Imagina su estatura y lo que podía oír desde su cuarto o desde la puerta.",
            "Pregúntate: ¿qué necesitaba de los adultos en ese momento?",
            "Decide una manera de ayudar a un niño a sentirse seguro esta semana.",
        ),
        "Piensa en un niño que estaba cerca cuando las cosas estaban tensas. Hazte de su "
        "tamaño en tu imaginación. Desde aquí abajo los adultos son muy grandes y muy ruidosos. "
        "¿Qué podía oír? ¿Qué esperaba que alguien hiciera? Quédate con eso un momento. Ahora "
        "piensa en una cosa pequeña que puedes hacer esta semana para que un niño se sienta "
        "seguro contigo.",
    ),
    "perspective-taking": Wording(
        "Dos historias de un mismo hecho",
        "Practicar ver el mismo hecho desde el punto de vista de otra persona.",
        (
            "Escribe tres líneas que describan un desacuerdo reciente con tus palabras.",
            "Escribe tres líneas que lo describan como lo contaría la otra persona.",
            "Subraya dónde se separan las dos historias.",
            "Elige una cosa de su historia que puedas aceptar como cierta.",
        ),
        "Piensa en un desacuerdo reciente. Primero, cuéntalo como lo recuerdas. Ahora cuéntalo "
        "como lo contaría la otra persona, con sus palabras y sus preocupaciones. ¿Dónde se "
        "separan las dos historias? Encuentra una cosa de su historia que puedas aceptar como "
        "cierta, aunque sea incómoda.",
    ),
    "owning-it": Wording(
        "Nombrar lo que hice",
        "Describir tu propio comportamiento con claridad, sin minimizar, negar ni culpar.",
        (
            "Describe una cosa que hiciste, usando «yo» y un verbo de acción.",
            "Quita las palabras que lo achican («solo», «nada más», «un poco»).",
            "Quita las razones que apuntan a otra persona («porque ella...»).",
            "Lee la frase tal cual y nota qué se siente hacerte cargo.",
        ),
        "Piensa en algo que hiciste que lastimó a alguien. Dilo en una frase que empiece con "
        "yo. Ahora escucha si hay palabras pequeñas como solo o nada más, y quítalas. Escucha "
        "si hay un porque ella o porque él, y quítalo también. Lo que queda es tuyo. Hacerte "
        "cargo es difícil, y es el comienzo de ser alguien en quien se puede confiar.",
    ),
    "repair-plan": Wording(
        "Planear una reparación",
        "Planear un paso que mejore las cosas para la persona dañada, según lo que ella necesita.",
        (
            "Nombra a quién le afectó y cómo.",
            "Piensa en lo que le ayudaría a esa persona, no en lo que te haría sentir mejor a ti.",
            "Comprueba que el contacto esté permitido y sea deseado; si no, elige una reparación "
            "que no lo necesite.",
            "Escribe un paso concreto y cuándo lo harás.",
            "Habla del plan con tu facilitador antes de llevarlo a cabo.",
        ),
        "Piensa en alguien afectado por lo que hiciste. ¿Qué le ayudaría de verdad? No una "
        "disculpa que le pida perdonarte, sino algo que haga su vida un poco más segura o más "
        "fácil. Recuerda que la reparación debe respetar cualquier orden y sus deseos; hay "
        "reparaciones que no necesitan ningún contacto, como cumplir cada compromiso con los "
        "hijos. Elige un paso y cuándo lo darás.",
    ),
    "gratitude-connection": Wording(
        "Notar la conexión",
        "Fortalecer la sensación de estar conectado con los demás, que hace menos probable la "
        "violencia.",
        (
            "Recuerda tres momentos de esta semana en que alguien fue amable o te ayudó.",
            "En cada uno, nota qué sentiste en el cuerpo.",
            "Recuerda un momento en que tú fuiste amable o ayudaste a alguien.",
            "Decide cómo vas a pasar una amabilidad mañana.",
        ),
        "Trae a la mente tres momentos de esta semana en que alguien hizo algo amable por ti, "
        "por pequeño que fuera. Quédate con cada uno unas cuantas respiraciones. Ahora recuerda "
        "un momento en que ayudaste a alguien. Nota cómo se sintió. Mañana, pasa una amabilidad "
        "a otra persona.",
    ),
    "loving-kindness": Wording(
        "Desear el bien",
        "Entrenar el deseo de que los demás, y tú mismo, estén a salvo y bien.",
        (
            "Respira despacio durante un minuto.",
            "Deséate en silencio: que esté a salvo, que esté firme, que actúe con cuidado.",
            "Piensa en alguien que te importa y deséale lo mismo.",
            "Piensa en alguien que te resulta difícil y, si puedes, deséale lo mismo.",
        ),
        "Respira despacio. Dite: que esté a salvo. Que esté firme. Que actúe con cuidado. Ahora "
        "imagina a alguien que quieres y deséale lo mismo: que estés a salvo, que estés bien. "
        "Ahora a alguien que te resulta difícil. Si puedes, ofrécele el mismo deseo. Si todavía "
        "no puedes, está bien; nota eso también.",
    ),
    "reach-out": Wording(
        "Comunícate con una persona que te apoya",
        "Ponte en contacto con alguien que respalda los cambios que estás haciendo, para no "
        "hacerlo solo.",
        (
            "Piensa en una persona que apoya los cambios que estás haciendo (no alguien con "
            "quien bebes o discutes).",
            "Elige cómo comunicarte con ella esta semana: una llamada, un mensaje, una visita "
            "o un café.",
            "Cuéntale una cosa verdadera sobre cómo te va la semana.",
            "Después, fíjate en cómo te sientes y anótalo en tu registro.",
        ),
        "Piensa en las personas de tu vida que quieren cosas buenas para ti y para quienes te "
        "rodean. Elige una. Imagina que la llamas o te ves con ella esta semana. ¿Qué le "
        "dirías? Puede ser algo pequeño: cómo te fue la semana, algo en lo que estás "
        "trabajando. Pedir contacto no es debilidad; así se mantienen firmes las personas "
        "fuertes.",
    ),
    "moment-of-connection": Wording(
        "Fíjate en un momento de conexión",
        "Entrena tu atención para notar los pequeños momentos en que te sientes parte de algo.",
        (
            "Una vez al día, detente y busca un momento de conexión: un saludo, una risa "
            "compartida, un trabajo hecho en equipo.",
            "Quédate con él durante tres respiraciones lentas.",
            "Nombra qué lo hizo sentir como conexión.",
            "Escribe una línea sobre él antes de dormir.",
        ),
        "En algún momento de hoy sentiste, aunque fuera un poco, que eras parte de algo: un "
        "saludo de un vecino, una broma en el trabajo, la mano de un niño. Encuéntralo. "
        "Respira despacio tres veces y déjalo estar. ¿Qué lo hizo sentir así? Dítelo, y "
        "escribe una línea sobre él esta noche.",
    ),
    "show-up": Wording(
        "Preséntate en un lugar donde perteneces",
        "Pasa tiempo con otras personas en un lugar seguro y positivo: un club, un equipo, un "
        "grupo de fe o de recuperación.",
        (
            "Haz una lista de dos o tres lugares donde la gente se reúne para hacer algo bueno "
            "juntos.",
            "Elige uno al que puedas ir esta semana.",
            "Ve y quédate todo el tiempo, aunque te resulte incómodo.",
            "Habla con al menos una persona allí.",
            "Después, escribe cómo fue y si vas a volver.",
        ),
        "Piensa en lugares donde la gente se reúne para hacer algo que vale la pena: un "
        "gimnasio, un equipo deportivo, una iglesia o mezquita, una reunión de recuperación, "
        "un grupo de voluntarios. Elige uno. Imagínate entrando. Puede resultar incómodo, y "
        "es normal. Quédate, saluda a una persona y nota que eres bienvenido.",
    ),
}
