/**
 * The village's topics, in free wording. Each topic has slot pools of real words, "seen"
 * templates (the wording posts before the split use) and "unseen" templates (never used before
 * the split: the tagger and the feeds must recognise the topic from its meaning, not its
 * phrasing), plus real Spanish and German sentences. Some words belong to two topics on purpose
 * ("bass", "pitch", "tackle", "net", "scales", "chain", "stars", "cleats").
 */

export interface Topic {
  name: string;
  /** Hashtags members use for it; the first is the usual one. */
  hashtags: string[];
  /** Slot fillers: `{veg}` in a template takes a word of pools.veg. */
  pools: Record<string, string[]>;
  seen: string[];
  unseen: string[];
  es: string[];
  de: string[];
}

/** Slots every topic's templates may use: common words shared by all topics. */
export const SHARED_POOLS: Record<string, string[]> = {
  opener: ['', '', '', 'Honestly,', 'Update:', 'Well,', 'So', 'Good news:', 'Quick one:', 'Right,', 'Finally,'],
  closer: ['', '', '', 'Really happy with it.', 'What a day.', 'Anyone else?', "Can't complain.", 'Worth it.', 'More soon.', 'Life is good.', 'Not bad at all.'],
  when: ['this morning', 'today', 'last night', 'on Sunday', 'after work', 'at the weekend', 'yesterday', 'this evening'],
};

/** Sentences added to a Spanish or German post so that the same sentence is not posted word for word. */
export const FOREIGN_CLOSERS: Record<'es' | 'de', string[]> = {
  es: ['', '', '¡Qué alegría!', 'Estoy muy contento.', '¿Alguien más?', 'Mañana os cuento más.', 'No está nada mal.'],
  de: ['', '', 'Was für ein Tag!', 'Ich bin sehr zufrieden.', 'Noch jemand?', 'Morgen erzähle ich mehr.', 'Gar nicht schlecht.'],
};

export const TOPICS: Topic[] = [
  {
    name: 'gardening',
    hashtags: ['gardening', 'garden', 'growyourown'],
    pools: {
      veg: ['tomatoes', 'courgettes', 'runner beans', 'potatoes', 'carrots', 'peppers', 'cucumbers', 'lettuces', 'onions', 'strawberries', 'pumpkins', 'chillies', 'radishes', 'leeks'],
      flower: ['roses', 'dahlias', 'tulips', 'sunflowers', 'sweet peas', 'lavender', 'marigolds', 'hydrangeas'],
      chore: ['weeding', 'mulching', 'pruning the apple tree', 'turning the compost', 'digging over the beds', 'watering', 'deadheading'],
      place: ['allotment', 'raised bed', 'greenhouse', 'vegetable patch', 'back garden', 'polytunnel'],
    },
    seen: [
      '{opener} my {veg} finally ripened {when}. {closer}',
      'Planted out young {veg} in the {place} {when}.',
      'The compost is cooking nicely, steaming away at the bottom of the {place}. {closer}',
      'Spent {when} {chore} down at the {place}. Back aches but worth it.',
      'First harvest of {veg} from the {place}, so much sweeter than the shop ones.',
      "Slugs got half my {veg} again. Any tips that don't involve pellets?",
      'The {flower} are in full bloom by the {place}, the bees love them.',
      'Sowed a tray of {veg} on the windowsill {when}, fingers crossed they germinate.',
      'Frost warning tonight, covering the {veg} with fleece.',
      'Nothing beats eating {veg} straight off the plant while {chore}.',
      '{opener} the {place} is overflowing with {veg}, who wants some?',
      'Mixing grass clippings and leaf mould into the soil {when}. {closer}',
    ],
    unseen: [
      'Got my hands dirty with a trowel and a bag of bulbs {when}.',
      'Which variety of {veg} crops best in clay soil? Mine keep splitting.',
      'The apple blossom looks promising, hoping for a big crop this autumn.',
      'Swapped seed packets with the neighbours, now I have six kinds of {veg} to try.',
      'Hoeing between the rows before the weeds take over again.',
      'Rain barrel is full, so the beds get a proper soak {when}.',
      'Earthworms everywhere when I dug the new border, the soil is finally alive.',
    ],
    es: [
      'Por fin maduraron los tomates del huerto, están dulces y muy rojos.',
      'Esta mañana planté lechugas y cebollas en el bancal elevado.',
      'El compost está listo, voy a mezclarlo con la tierra antes de sembrar.',
      'Las babosas se comieron la mitad de mis fresas otra vez, ¿algún consejo?',
      'He pasado toda la tarde quitando malas hierbas en el jardín.',
    ],
    de: [
      'Endlich sind die Tomaten im Garten reif geworden, sie schmecken wunderbar süß.',
      'Heute Morgen habe ich Salat und Zwiebeln im Hochbeet gepflanzt.',
      'Der Kompost ist fertig, ich mische ihn vor der Aussaat unter die Erde.',
    ],
  },
  {
    name: 'music',
    hashtags: ['music', 'livemusic', 'guitar'],
    pools: {
      instrument: ['guitar', 'piano', 'violin', 'drum kit', 'cello', 'ukulele', 'saxophone', 'trumpet', 'bass guitar'],
      genre: ['jazz', 'folk', 'blues', 'punk', 'classical', 'indie', 'reggae', 'soul'],
      piece: ['that Chopin nocturne', 'a Bach prelude', 'an old Beatles song', 'the Blackbird riff', 'a twelve bar blues', 'our new song', 'the Moonlight Sonata'],
      venue: ['the pub', 'the village hall', 'the open mic night', 'the church', 'the bandstand'],
    },
    seen: [
      '{opener} finally nailed {piece} on the {instrument} {when}.',
      'Band practice {when}, our new drummer keeps perfect time. {closer}',
      'Playing {genre} covers at {venue} on Friday, come along!',
      'Restrung my {instrument} and it sounds brand new.',
      'Anyone want to jam? I play {instrument} and mostly {genre}.',
      'The bass on this {genre} record is unreal, been looping it all day.',
      'Singing in the choir {when}, we were a little flat on the high notes.',
      "Practising scales on the {instrument} is boring but it's paying off.",
      'Her voice has such perfect pitch, the whole room went quiet.',
      'Recorded a demo of {piece} in the spare room {when}. {closer}',
      'Tuning the {instrument} before the gig at {venue}, nerves kicking in.',
      'Vinyl haul from the market: three {genre} albums and a live record.',
    ],
    unseen: [
      "Can't get this melody out of my head, humming it on repeat.",
      'Our rehearsal ran late, the chorus still needs work.',
      'Bought a second-hand amp and the tone is gorgeous.',
      'The drummer and I wrote lyrics {when} for a new {genre} tune.',
      'Standing ovation at {venue}, the encore was pure magic.',
      'My fingers hurt from practising chords on the {instrument} all evening.',
      "That concert had the best acoustics I've ever heard.",
    ],
    es: [
      'Anoche tocamos con la banda en el bar del pueblo y la gente bailó mucho.',
      'Estoy aprendiendo a tocar la guitarra y ya me salen los primeros acordes.',
      'El bajo de esta canción es increíble, no puedo dejar de escucharla.',
      'Mañana ensayamos con el coro en la iglesia, ¡venid a escucharnos!',
      'Compré un piano de segunda mano y suena de maravilla.',
    ],
    de: [
      'Gestern Abend haben wir mit der Band in der Kneipe gespielt und alle haben getanzt.',
      'Ich lerne Gitarre spielen und die ersten Akkorde klappen schon.',
      'Morgen proben wir mit dem Chor in der Kirche, kommt doch vorbei!',
    ],
  },
  {
    name: 'fishing',
    hashtags: ['fishing', 'angling', 'flyfishing'],
    pools: {
      fish: ['trout', 'carp', 'pike', 'perch', 'bass', 'salmon', 'bream', 'mackerel', 'sea bass'],
      water: ['the river', 'the lake', 'the reservoir', 'the canal', 'the harbour wall', 'the estuary'],
      bait: ['maggots', 'worms', 'a spinner', 'a dry fly', 'sweetcorn', 'soft lures'],
    },
    seen: [
      '{opener} landed a {fish} at {water} {when}, released it straight back.',
      'Caught a decent bass off the rocks {when}. {closer}',
      'Up before dawn to fish {water}, mist on the water and not a bite.',
      'Sorting my tackle box, far too many hooks and not enough {bait}.',
      'The {fish} were rising all evening on {water}. {closer}',
      'Tried {bait} for {fish} and it worked a treat.',
      'New rod and reel arrived, testing them at {water} {when}.',
      'Lost a huge {fish} right at the net, still gutted.',
      'Float fishing at {water} with {bait}, three {fish} before lunch.',
      'The scales on this {fish} were shining like silver in the sun.',
      'Cast after cast into {water} and nothing, but what a peaceful morning.',
      'Fly fishing lesson {when}, my casting is getting better.',
    ],
    unseen: [
      'The line went tight and the reel started screaming.',
      'Spent the afternoon on the bank with a flask and a landing net.',
      'Barbless hooks only on this stretch, the bailiff checked my licence.',
      'Perfect overcast day, the {fish} were feeding close to the reeds.',
      'Waders on, standing in {water} waiting for a bite.',
      'Weighed it at four pounds before letting it swim off.',
      'My grandad taught me to tie knots for a leader, I still use them today.',
    ],
    es: [
      'Hoy pesqué una trucha enorme en el río y la devolví al agua.',
      'Salimos a pescar al amanecer, pero los peces no picaban.',
      'Preparé las cañas y los anzuelos para ir al lago el sábado.',
      'Mi abuelo me enseñó a pescar en este mismo embalse.',
      'Con gusanos como cebo saqué tres percas antes de comer.',
    ],
    de: [
      'Heute habe ich eine riesige Forelle im Fluss gefangen und wieder freigelassen.',
      'Wir sind im Morgengrauen zum Angeln an den See gefahren, aber kein Fisch hat angebissen.',
      'Mit Würmern als Köder habe ich vor dem Mittagessen drei Barsche gefangen.',
    ],
  },
  {
    name: 'football',
    hashtags: ['football', 'soccer', 'matchday'],
    pools: {
      team: ['the village team', 'our under-12s', 'the Rovers', 'the Sunday league side', 'United', 'the lads'],
      position: ['striker', 'goalkeeper', 'centre back', 'winger', 'midfielder'],
      result: ['a 3-1 win', 'a 2-2 draw', 'a late winner', 'a penalty shootout win', 'a heavy defeat'],
    },
    seen: [
      '{opener} {team} got {result} {when}. {closer}',
      'The pitch was a mudbath but we kept playing.',
      'Our {position} scored a screamer from thirty yards.',
      'Referee gave a penalty in the last minute, what a match.',
      'Training {when}: passing drills and a small-sided game.',
      'Two-footed tackle and he only got a yellow card?',
      "Season tickets renewed, can't wait for the first home game.",
      '{team} need a new {position} before the transfer window closes.',
      'Kickoff at three, meeting at the clubhouse for a pint first.',
      'The ball hit the back of the net and the whole stand erupted.',
      'Watching {team} on telly {when}, the offside rule will be the death of me.',
      'All the stars of the league were at the cup final.',
    ],
    unseen: [
      'Header from a corner in stoppage time, the away fans went silent.',
      'Our keeper made three brilliant saves in the first half.',
      'The manager changed formation at half time and it worked.',
      'Cleats muddy, shins bruised, and {team} top of the table.',
      'Dribbled past two defenders and then blazed it over the bar.',
      'Derby day {when}, the atmosphere in the ground was electric.',
      'The relegation battle is getting tense, six points from safety.',
    ],
    es: [
      'Nuestro equipo ganó tres a uno y el delantero marcó un golazo.',
      'El campo estaba lleno de barro, pero jugamos hasta el final.',
      'El árbitro pitó un penalti en el último minuto, ¡qué partido!',
      'Esta tarde tenemos entrenamiento con los niños del club.',
      'Vimos el partido en el bar y celebramos el gol como locos.',
    ],
    de: [
      'Unsere Mannschaft hat drei zu eins gewonnen und der Stürmer hat ein Traumtor geschossen.',
      'Der Schiedsrichter hat in der letzten Minute einen Elfmeter gegeben, was für ein Spiel!',
      'Heute Nachmittag ist Training mit den Kindern vom Verein.',
    ],
  },
  {
    name: 'cooking',
    hashtags: ['cooking', 'recipe', 'foodie'],
    pools: {
      dish: ['lasagne', 'risotto', 'curry', 'sourdough loaf', 'apple pie', 'chicken soup', 'paella', 'banana bread', 'beef stew', 'pancakes'],
      ingredient: ['garlic', 'fresh basil', 'smoked paprika', 'butter', 'lemon zest', 'ginger', 'parmesan', 'thyme', 'cumin'],
      tool: ['cast iron pan', 'slow cooker', 'oven', 'wok', 'stand mixer'],
    },
    seen: [
      '{opener} made {dish} from scratch {when}. {closer}',
      'The secret is more {ingredient} than you think.',
      'Sourdough starter is bubbling, bake day tomorrow.',
      'Trying a new recipe for {dish} with {ingredient}, smells amazing.',
      'Leftover {dish} tastes even better the next day.',
      'Burnt the {dish}, the smoke alarm agrees.',
      'Batch cooking {dish} in the {tool} for the week ahead.',
      "Grandma's recipe for {dish} never fails.",
      'Chopped a mountain of onions and {ingredient} for the {dish}.',
      'Simmering {dish} in the {tool} all afternoon, the house smells incredible.',
      'Dinner party {when}: {dish} for eight and a pudding.',
      'Season it with {ingredient} and a pinch of salt, trust me.',
    ],
    unseen: [
      'Kneading dough is the best stress relief there is.',
      'The sauce reduced down beautifully, glossy and rich.',
      'Marinated the chicken overnight in yoghurt and {ingredient}.',
      'Roasting vegetables with olive oil until they caramelise.',
      'My first attempt at homemade pasta was a sticky mess, but tasty.',
      "Preheat, whisk, fold, bake, and don't open the oven door.",
      'Taste as you go, a squeeze of lemon fixes most things.',
    ],
    es: [
      'Hoy cociné una paella con mariscos para toda la familia.',
      'El secreto de esta receta es añadir más ajo y un poco de pimentón.',
      'Hice pan casero con masa madre y salió perfecto.',
      'Mi abuela siempre preparaba este guiso los domingos de invierno.',
      'Estoy probando una receta nueva de tarta de manzana, huele de maravilla.',
    ],
    de: [
      'Heute habe ich für die ganze Familie einen Eintopf mit viel Gemüse gekocht.',
      'Das Geheimnis dieses Rezepts ist mehr Knoblauch und ein bisschen Paprika.',
      'Ich habe Brot mit Sauerteig gebacken und es ist perfekt geworden.',
    ],
  },
  {
    name: 'astronomy',
    hashtags: ['astronomy', 'stargazing', 'space'],
    pools: {
      object: ['Jupiter', "Saturn's rings", 'the Orion Nebula', 'the Andromeda galaxy', 'the Moon', 'Mars', 'the Pleiades', 'the meteor shower'],
      gear: ['telescope', 'binoculars', 'new eyepiece', 'tracking mount'],
    },
    seen: [
      '{opener} clear skies {when}, got a great view of {object}.',
      'Set up the {gear} in the field behind the church, {object} was stunning.',
      'The stars were incredible away from the street lights.',
      'Counted forty meteors during the shower last night.',
      'Photographed {object} through the {gear}, pretty happy with it.',
      'Clouds rolled in just as {object} rose, typical.',
      'Astronomy club meets {when}, bring your {gear}.',
      'Saw the space station pass over, bright as anything.',
      'Dark sky site {when}, the Milky Way was blazing.',
      'Collimated the {gear} and {object} snapped into focus.',
      'The full moon washes out everything, waiting for the new moon.',
      'Spotted {object} low on the horizon before dawn. {closer}',
    ],
    unseen: [
      'Cold hands, hot tea, and a sky full of constellations.',
      'The eclipse is next month, already ordered the solar filter.',
      'Looking up at the night sky makes every problem feel small.',
      'Found the Plough, followed it to Polaris, then got lost.',
      'A faint comet smudge through the {gear}, barely visible.',
      'Long exposure of the northern sky, star trails everywhere.',
      'Planets lined up after sunset, Venus outshining the lot.',
    ],
    es: [
      'Anoche el cielo estaba despejado y vimos Júpiter con el telescopio.',
      'Contamos más de treinta estrellas fugaces durante la lluvia de meteoros.',
      'Lejos de las luces del pueblo, la Vía Láctea se veía perfectamente.',
      'El club de astronomía se reúne el viernes para observar la luna.',
      'Fotografié los anillos de Saturno a través del telescopio nuevo.',
    ],
    de: [
      'Gestern Nacht war der Himmel klar und wir haben Jupiter durch das Teleskop gesehen.',
      'Während des Meteorschauers haben wir mehr als dreißig Sternschnuppen gezählt.',
      'Weit weg von den Lichtern des Dorfes war die Milchstraße wunderschön zu sehen.',
    ],
  },
  {
    name: 'cycling',
    hashtags: ['cycling', 'bikepacking', 'cyclist'],
    pools: {
      route: ['the coast road', 'the hill climb', 'the canal towpath', 'the lanes to the next village', 'the gravel trail', 'the forest loop'],
      part: ['chain', 'gears', 'brakes', 'tyres', 'saddle', 'derailleur'],
      distance: ['40 km', '60 miles', '100 km', 'a quick 20 km', 'a hilly 80 km'],
    },
    seen: [
      '{opener} rode {distance} along {route} {when}. {closer}',
      'New {part} fitted, the bike feels like a rocket.',
      'Puncture halfway up {route}, changed the tube in the rain.',
      'Cleaned and oiled the chain, no more squeaking.',
      'Headwind all the way home on {route}, legs are gone.',
      'Sunday club ride {when}, coffee stop at the bakery.',
      'Commuting by bike all week, saved a fortune on petrol.',
      'That climb on {route} nearly finished me, but the descent was worth it.',
      'Adjusting the {part} before the sportive {when}.',
      'Rode {distance} on the gravel bike, dusty and happy.',
      'Bought a new helmet and lights for the winter rides.',
      'Cadence practice on {route}, trying to spin instead of grind.',
    ],
    unseen: [
      'Pedalled to the coast and back, the peloton dropped me on the hill.',
      'Cleats clicked in, heart rate climbing, summit in sight.',
      'Overnight trip with panniers, slept under a tarp by the trail.',
      'Wheel truing is an art I have not mastered.',
      'Saddle sore after six hours in the lanes.',
      'The tandem is out of the shed, the kids love riding on the back.',
      'Strava says a personal best on {route}.',
    ],
    es: [
      'Hoy hice ochenta kilómetros en bicicleta por la costa con el club.',
      'Se me pinchó la rueda a mitad de la subida y tuve que cambiar la cámara.',
      'Limpié y engrasé la cadena de la bici, ya no hace ruido.',
      'El viento en contra en la vuelta a casa me dejó sin piernas.',
      'Voy al trabajo en bicicleta toda la semana y me siento genial.',
    ],
    de: [
      'Heute bin ich mit dem Verein achtzig Kilometer mit dem Fahrrad an der Küste entlang gefahren.',
      'Mitten im Anstieg hatte ich einen Platten und musste den Schlauch wechseln.',
      'Ich habe die Kette geputzt und geölt, jetzt quietscht nichts mehr.',
    ],
  },
  {
    name: 'bitcoin',
    hashtags: ['bitcoin', 'btc', 'lightning'],
    pools: {
      thing: ['a node', 'a lightning channel', 'the hardware wallet', 'a multisig setup', 'a watch-only wallet'],
      amount: ['a few thousand sats', '50k sats', 'a handful of sats', '0.01 BTC'],
    },
    seen: [
      '{opener} finally set up {thing} {when}. {closer}',
      'Fees are low, good time to consolidate UTXOs.',
      'Paid for coffee with {amount} over lightning, took two seconds.',
      'Running a node on a Raspberry Pi in the cupboard.',
      'Stacking sats every week no matter the price.',
      'Block height just passed another milestone, the chain keeps ticking.',
      'Backed up my seed phrase on steel plates, stored in two places.',
      'Opened {thing} with a friend for cheaper payments.',
      'Difficulty adjustment {when}, miners are having a rough time.',
      'Zapped {amount} to the village fund.',
      'Self custody is the whole point, not your keys not your coins.',
      'The mempool is clearing out, {thing} confirmed in the next block.',
    ],
    unseen: [
      'The halving is coming and the hashrate keeps climbing.',
      'Sent {amount} to my sister abroad, no bank involved.',
      'Explaining proof of work to my dad over dinner.',
      'Cold storage verified, receiving address checked twice.',
      'Price dumped again, I just keep accumulating.',
      'The mining rig heats the garage nicely in winter.',
      "Satoshi's whitepaper still reads beautifully.",
    ],
    es: [
      'Por fin monté mi propio nodo de bitcoin en una Raspberry Pi.',
      'Pagué el café con satoshis por lightning y tardó dos segundos.',
      'Guardé mi frase semilla en una placa de acero, por si acaso.',
      'Las comisiones están bajas, buen momento para mover mis fondos a la billetera fría.',
      'Cada semana compro un poco de bitcoin sin mirar el precio.',
    ],
    de: [
      'Endlich habe ich meinen eigenen Bitcoin-Knoten auf einem Raspberry Pi eingerichtet.',
      'Ich habe meinen Kaffee mit Satoshis über Lightning bezahlt, das ging in zwei Sekunden.',
      'Meine Wiederherstellungsphrase habe ich auf einer Stahlplatte gesichert.',
    ],
  },
  {
    name: 'knitting',
    hashtags: ['knitting', 'yarn', 'crochet'],
    pools: {
      item: ['scarf', 'jumper', 'pair of socks', 'beanie', 'baby blanket', 'cardigan', 'pair of mittens', 'shawl'],
      yarn: ['merino', 'alpaca wool', 'chunky wool', 'cotton yarn', 'sock yarn', 'mohair'],
      technique: ['cables', 'colourwork', 'lace', 'ribbing', 'a turned heel'],
    },
    seen: [
      '{opener} cast on a new {item} {when}. {closer}',
      'Finished the {item} in {yarn}, so soft.',
      'Dropped a stitch three rows back, time to tink.',
      'Learning {technique} and my brain hurts.',
      'Knitting circle at the library {when}, bring your needles.',
      'Blocking my {item} on the spare bed overnight.',
      'Bought far too much {yarn} at the wool shop again.',
      'Knitted a {item} for my niece, she loves the colour.',
      'Halfway through the {item}, the {technique} is slow going.',
      'Circular needles changed my life, no more seams.',
      'Unravelled the whole {item} and started again.',
      'Gift season means a {item} a week, fingers aching.',
    ],
    unseen: [
      'Made granny squares with a hook while watching telly.',
      'The pattern called for a provisional cast on, wish me luck.',
      'Skein wound into a neat ball, ready to go.',
      'Purl rows are my nemesis.',
      'Hand-dyed {yarn} from the farmers market, gorgeous colours.',
      'Sewing up the sleeves is the worst part of any {item}.',
      'My gauge swatch says I knit tighter than the designer.',
    ],
    es: [
      'Terminé la bufanda de lana merino para mi hermana, es muy suave.',
      'Se me escapó un punto tres vueltas atrás y tuve que deshacerlo todo.',
      'Estoy aprendiendo a tejer ochos y me cuesta muchísimo.',
      'El grupo de punto se reúne en la biblioteca los martes por la tarde.',
      'Compré demasiados ovillos de lana en la tienda otra vez.',
    ],
    de: [
      'Ich habe den Schal aus Merinowolle für meine Schwester fertig gestrickt, er ist so weich.',
      'Drei Reihen zurück ist mir eine Masche gefallen, jetzt muss ich alles wieder aufribbeln.',
      'Der Strickkreis trifft sich dienstags in der Bibliothek.',
    ],
  },
];

/** Words two topics share on purpose, with the two topics (checked by the generator test). */
export const AMBIGUOUS: Record<string, [string, string]> = {
  bass: ['music', 'fishing'],
  pitch: ['football', 'music'],
  tackle: ['football', 'fishing'],
  net: ['football', 'fishing'],
  scales: ['music', 'fishing'],
  chain: ['cycling', 'bitcoin'],
  cleats: ['football', 'cycling'],
};

/** The spam ring's promotions: off-topic, stuffed with the village's hashtags. */
export const SPAM = {
  texts: [
    'Earn 500% returns in one week with our trading bot, DM me now!',
    'Cheap followers and likes, best prices guaranteed, link in bio.',
    'Free airdrop for the first 1000 wallets, claim it before it ends!',
    'Designer watches 90% off today only, worldwide shipping.',
    'Lose ten kilos in ten days with this one weird trick.',
    'Casino bonus: deposit 10, play with 100. Sign up now!',
    'Make money from home, no experience needed, message me.',
    'Limited offer: the miracle supplement doctors do not want you to know about.',
  ],
  hashtags: ['giveaway', 'airdrop', 'free', 'deal', 'crypto', 'money', 'win', 'promo', 'followback'],
};

/** Short replies: common words, no topic. */
export const REPLIES = ['Love this!', 'So true.', 'Great post.', 'Same here!', 'Congrats!', 'How did you do that?', 'Brilliant.', 'Nice one.', 'Thanks for sharing.', 'Wow.'];
