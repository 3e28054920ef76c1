"""Name pools by origin, each name with the other ways people really write it.

Every entry is ``canonical: (variant, ...)``; the first form is the usual one.
Hypocorisms (José → Pepe) are the ones in everyday Mexican, Central American
and Caribbean use; Arabic, Chinese and Russian names carry the spellings that
different transliteration habits give (Mohammad / Muhammad / Mohamed, Zhang /
Chang / Cheung, Aleksandr / Alexander / Oleksandr).
"""

from __future__ import annotations

LATAM_GIVEN_M = {
    "José": ("Pepe", "Chepe"), "Francisco": ("Paco", "Pancho", "Kiko"), "Ignacio": ("Nacho",),
    "Jesús": ("Chucho", "Chuy"), "Manuel": ("Manolo", "Manny"), "Alejandro": ("Alex", "Jando"),
    "Roberto": ("Beto",), "Alberto": ("Beto",), "Guillermo": ("Memo",), "Enrique": ("Quique",),
    "Eduardo": ("Lalo",), "Antonio": ("Toño", "Tono"), "Luis": ("Lucho",), "Rafael": ("Rafa",),
    "Ramón": ("Moncho",), "Santiago": ("Chago",), "Fernando": ("Nando",), "Gustavo": ("Tavo",),
    "Rodrigo": ("Rigo",), "Ernesto": ("Neto",), "Adolfo": ("Fito",), "Gerardo": ("Jerry",),
    "Juan Carlos": ("Juanca",), "Juan Pablo": ("Juampa",), "Carlos": ("Charly",),
    "Daniel": ("Dani",), "Yeferson": ("Jefferson",), "Brayan": ("Bryan",), "Wilmer": (),
    "Yorman": (), "Kevin": (), "Anderson": (), "Jhon": ("John", "Jon"), "Darwin": (),
}
LATAM_GIVEN_F = {
    "Guadalupe": ("Lupe", "Lupita"), "María Guadalupe": ("Lupita",), "Rosario": ("Chayo",),
    "Concepción": ("Conchita", "Concha"), "Dolores": ("Lola",), "Mercedes": ("Meche",),
    "Consuelo": ("Chelo",), "Isabel": ("Chabela",), "Graciela": ("Chela",),
    "Margarita": ("Magui",), "Josefina": ("Pepa", "Chepa"), "María José": ("Majo",),
    "María Fernanda": ("Mafer",), "Yuliana": ("Juliana",), "Yesenia": ("Yessenia",),
    "Dayana": ("Diana",), "Yoselin": ("Joselyn", "Yoselyn"), "Andrea": (), "Daniela": ("Dani",),
    "Gabriela": ("Gaby",), "Alejandra": ("Ale",), "Patricia": ("Paty",), "Beatriz": ("Bety",),
}
LATAM_FAMILY = (
    "González Hernández García Martínez López Rodríguez Pérez Sánchez Ramírez Flores Gómez "
    "Díaz Reyes Morales Cruz Ortiz Gutiérrez Chávez Ramos Ruiz Mendoza Vásquez Castillo "
    "Jiménez Moreno Romero Herrera Medina Aguilar Guzmán Rojas Salazar Contreras Álvarez "
    "Quispe Mamani Villca Zelaya Portillo Escobar Bonilla Orellana Pineda Maldonado Urbina "
    "Caballero Figueroa Ochoa Galeano Cárdenas Arévalo Peñaloza Bolívar Carrasquel").split()
LATAM_PARTICLES = ("De la Cruz", "Del Río", "De León", "De los Santos", "Del Valle")

HAITI_GIVEN = ("Jean", "Jean-Baptiste", "Marie", "Pierre", "Wisline", "Fritznel", "Mackenson",
               "Woodley", "Rose-Merline", "Dieuseul", "Jocelyne", "Nadège", "Lovely", "Kervens",
               "Jean-Claude", "Marie-Carmelle", "Guerline", "Wilner", "Frantz", "Stéphanie",
               "Ricardo", "Jimmy", "Rosemène", "Loudmia")
HAITI_FAMILY = ("Joseph", "Pierre", "Jean-Louis", "Charles", "Louis", "Jean-Baptiste", "Dorvil",
                "Saint-Fleur", "Exantus", "Désir", "Célestin", "Augustin", "Toussaint",
                "Fils-Aimé", "Noël", "Étienne", "Dorélien", "Saint-Louis", "Michel", "Innocent",
                "Bien-Aimé", "Jeune", "Pierre-Louis", "Delva", "Alexis", "Casimir")

ARABIC_GIVEN_M = {
    "Mohammad": ("Muhammad", "Mohammed", "Mohamed", "Mohamad", "Mehmet"),
    "Ahmad": ("Ahmed", "Ahmet"), "Abdul Rahman": ("Abdulrahman", "Abdurrahman", "Abd al-Rahman"),
    "Hussein": ("Husain", "Hussain", "Hossein"), "Omar": ("Umar",), "Khalid": ("Khaled",),
    "Yusuf": ("Youssef", "Yousef", "Yousuf"), "Hassan": ("Hasan",), "Mahmoud": ("Mahmud",),
    "Abdullah": ("Abdallah", "Abdulla"), "Ibrahim": ("Ebrahim",), "Mustafa": ("Mostafa",),
    "Ali": (), "Karim": ("Kareem",), "Jamal": ("Gamal",), "Nasir": ("Nasser", "Naser"),
    "Rashid": ("Rasheed",), "Said": ("Saeed", "Sayed"), "Tariq": ("Tarek", "Tareq"),
    "Walid": ("Waleed",), "Zaid": ("Zayed", "Zeid"), "Bilal": (), "Faisal": ("Faysal",),
}
ARABIC_GIVEN_F = {"Fatima": ("Fatimah", "Fatma"), "Aisha": ("Aysha", "Ayesha"),
                  "Maryam": ("Mariam", "Meryem"), "Zainab": ("Zaynab", "Zeinab"),
                  "Khadija": ("Khadijah", "Hatice"), "Nour": ("Noor", "Nur"), "Layla": ("Leila",)}
ARABIC_FAMILY = {
    "Khan": (), "Al-Rashid": ("Alrashid", "Al Rashid", "El-Rashid"), "Haidari": ("Haydari",),
    "Ahmadi": (), "Rahimi": (), "Karimi": (), "Popal": (), "Stanekzai": ("Stanikzai",),
    "Noori": ("Nouri", "Nuri"), "Hamdan": (), "Saleh": ("Salih",), "Abbas": (),
    "Haddad": (), "Qureshi": ("Qurashi", "Kureshi"), "Hashimi": ("Hashemi",),
    "Al-Masri": ("Almasri", "El Masri"), "Mansour": ("Mansur",), "Sultani": (),
    "Yousufzai": ("Yousafzai", "Yusufzai"), "Amiri": (), "Naseri": ("Nasiri",),
}

CHINA_FAMILY = {"Wang": ("Wong",), "Li": ("Lee",), "Zhang": ("Chang", "Cheung"),
                "Liu": ("Lau",), "Chen": ("Chan",), "Yang": ("Yeung",), "Huang": ("Wong", "Hwang"),
                "Zhao": ("Chao", "Chiu"), "Wu": ("Ng", "Woo"), "Zhou": ("Chou", "Chow"),
                "Xu": ("Hsu", "Tsui"), "Sun": ("Suen",), "Ma": (), "Zhu": ("Chu",),
                "Hu": ("Woo",), "Guo": ("Kuo",), "He": ("Ho",), "Lin": ("Lam",),
                "Gao": ("Kao",), "Luo": ("Lo",), "Fang": ("Fong",), "Yu": ("Yue",)}
CHINA_SYLLABLES = ("wei", "fang", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong",
                   "jie", "tao", "ming", "chao", "xiu", "ying", "hua", "ping", "gang", "hui",
                   "xin", "yan", "zhi", "hong", "feng", "lan", "mei", "na", "ting", "yu")

# Cyrillic names, transliterated at generation time by several habits (translit.py)
RUSSIA_GIVEN_M = ("Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Евгений", "Юрий",
                  "Михаил", "Николай", "Владимир", "Игорь", "Максим", "Артём", "Илья", "Вячеслав")
RUSSIA_GIVEN_F = ("Елена", "Ольга", "Наталья", "Юлия", "Татьяна", "Екатерина", "Ксения",
                  "Анастасия", "Ирина", "Светлана")
RUSSIA_FAMILY = ("Козлов", "Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев",
                 "Новиков", "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов",
                 "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров",
                 "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв",
                 "Макаров", "Андреев", "Ковалёв", "Щербаков", "Журавлёв", "Шевченко", "Ткаченко")

# origin -> (share of the population, nationalities with weights)
ORIGINS = {
    "latin_american": (0.55, {"VEN": 30, "CUB": 18, "HND": 12, "GTM": 10, "COL": 10,
                              "NIC": 6, "ECU": 6, "SLV": 4, "MEX": 4}),
    "haitian": (0.15, {"HTI": 1}),
    "russian": (0.08, {"RUS": 6, "UKR": 2, "KAZ": 1, "BLR": 1}),
    "chinese": (0.08, {"CHN": 1}),
    "arabic_afghan": (0.14, {"AFG": 5, "SYR": 2, "EGY": 2, "YEM": 1, "PAK": 2, "IRQ": 1,
                             "TUR": 1}),
}
