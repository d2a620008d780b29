"""Code that runs inside or for Rasa: our Rasa server launcher with its speed fixes, the action
server, and the tracker and lock stores. (The NLU components are in bot/nlu/, named in config.yml.)
"""
